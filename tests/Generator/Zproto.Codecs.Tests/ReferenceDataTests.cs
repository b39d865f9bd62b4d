using Xunit;

namespace Zproto.Codecs.Tests;

/// <summary>
/// The data-driven tests load their cases from tests/reference/vectors. A missing or truncated file
/// must fail here, loudly, rather than turn into a theory that silently runs zero cases.
/// </summary>
public class ReferenceDataTests
{
    [Fact]
    public void Every_golden_vector_is_loaded() =>
        Assert.Equal(16 + 51 + 33, VectorTests.Vectors().Count); // zproto_example, zpipes_msg, zccp_msg

    [Fact]
    public void Every_unset_vector_is_loaded() =>
        Assert.Equal(4 + 10 + 7, UnsetTests.UnsetVectors().Count);

    [Fact]
    public void Every_invalid_vector_is_loaded() =>
        Assert.Equal(28 + 15 + 18, InvalidVectorTests.Cases().Count);

    [Fact]
    public void Every_invalid_vector_of_the_2014_codecs_is_loaded() =>
        Assert.Equal(15 + 18, InvalidVectorTests.Cases2014().Count); // zpipes_msg, zccp_msg
}
