using System.Text;

namespace Zproto.Cli.Json;

/// <summary>
/// Name matching for the JSON form: message and field names compare case-insensitively, with
/// spaces, hyphens and underscores equal (<c>HELLO-OK</c> = <c>hello_ok</c>, <c>public key</c> = <c>public_key</c>).
/// </summary>
public static class FieldNames
{
    /// <summary>The comparison key of a name.</summary>
    public static string Key(string name)
    {
        var sb = new StringBuilder(name.Length);
        var separator = false;
        foreach (var c in name)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (separator && sb.Length > 0)
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
                separator = false;
            }
            else
            {
                separator = true;
            }
        }
        return sb.ToString();
    }

    /// <summary>The JSON spelling of a model name, as the golden vectors use it (<c>public key</c> → <c>public_key</c>).</summary>
    public static string Json(string name) => Key(name);
}
