using System.Collections.Generic;
using Zproto.Model;
using Zproto.Model.Machines;

namespace Zproto.CodeGen.Pipeline;

/// <summary>
/// How a server or client model finds the protocol it speaks and the machine on the other side;
/// the one rule both front ends use.
/// </summary>
/// <remarks>
/// The protocol is the error-free protocol model in the model set whose class name equals the
/// machine's <c>protocol_class</c> (names compare as model names do: case, spaces, hyphens and
/// underscores aside). When several match, the one whose path sorts first (ordinal) wins, so
/// the answer never depends on the order files were given in. The other side is found the same
/// way among the machines of the other kind that name the same protocol class. The model set is
/// the generator's AdditionalFiles; for the CLI, the models on its command line plus the model
/// files in each machine model's directory (read only to resolve, never reported on).
/// </remarks>
public static class ProtocolResolution
{
    /// <summary>The protocol <paramref name="machine"/> speaks, or null.</summary>
    public static ProtocolCandidate? FindProtocol(MachineSpec machine, IEnumerable<ProtocolCandidate> protocols)
    {
        var key = Naming.Key(machine.ProtocolClass);
        ProtocolCandidate? found = null;
        foreach (var p in protocols)
        {
            if (Naming.Key(p.Spec.Name) == key && (found is null || string.CompareOrdinal(p.Path, found.Path) < 0))
                found = p;
        }
        return found;
    }

    /// <summary>The machine on the other side of <paramref name="machine"/>, or null.</summary>
    public static MachineSpec? FindCounterpart(MachineSpec machine, IEnumerable<MachineCandidate> machines)
    {
        var key = Naming.Key(machine.ProtocolClass);
        MachineCandidate? found = null;
        foreach (var m in machines)
        {
            if (m.Machine.Kind != machine.Kind && Naming.Key(m.Machine.ProtocolClass) == key
                && (found is null || string.CompareOrdinal(m.Path, found.Path) < 0))
                found = m;
        }
        return found?.Machine;
    }
}
