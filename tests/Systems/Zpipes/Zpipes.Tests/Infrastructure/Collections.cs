using Xunit;

namespace Zpipes.Tests.Infrastructure;

/// <summary>
/// Tests that start processes or move a lot of data run alone, after the others, so their CPU load
/// never stretches the timing of the scenarios (a 100 ms READ-TIMEOUT must not meet a busy machine).
/// xunit.runner.json runs the other collections one at a time too: the scenarios' timeouts (100 ms,
/// 200 ms expiry with 100 ms PINGs) leave too little slack for a 2-core machine shared by parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyCollection
{
    public const string Name = "heavy";
}
