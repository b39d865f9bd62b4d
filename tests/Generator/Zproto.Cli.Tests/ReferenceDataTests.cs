using Xunit;

namespace Zproto.Cli.Tests;

/// <summary>
/// The vector theories load their cases from tests/reference/vectors. A missing or truncated file
/// must fail here, loudly, rather than turn into a theory that silently runs zero cases.
/// </summary>
public class ReferenceDataTests
{
    [Fact]
    public void Every_golden_vector_is_loaded() =>
        Assert.Equal(16 + 51 + 33, VectorTests.Vectors().Count); // zproto_example, zpipes_msg, zccp_msg

    [Fact]
    public void Every_invalid_vector_is_loaded() =>
        Assert.Equal(28 + 15 + 18 + 15 + 18, InvalidVectorTests.Cases().Count); // *.invalid.json, then *.invalid.2014codec.json
}
