using Xunit;

namespace Zproto.Model.Tests;

/// <summary>Model names to C# identifiers (<see cref="Naming"/>).</summary>
public class NamingTests
{
    [Theory]
    [InlineData("HELLO-OK", "HelloOk")]
    [InlineData("HELLO OK", "HelloOk")]
    [InlineData("input ok", "InputOk")]
    [InlineData("public key", "PublicKey")]
    [InlineData("zpipes_msg", "ZpipesMsg")]
    [InlineData("EXEC-STATUS-REPLY", "ExecStatusReply")]
    [InlineData("client_id", "ClientId")]
    [InlineData("  spaced   out  ", "SpacedOut")]
    [InlineData("HelloOk", "HelloOk")]
    [InlineData("helloOk", "HelloOk")]
    [InlineData("getHTTPHeaders", "GetHTTPHeaders")]
    [InlineData("OHAI-OK", "OhaiOk")]
    [InlineData("v2 status", "V2Status")]
    [InlineData("größe", "Größe")]
    public void Pascal_joins_the_words_and_capitalises_each(string name, string expected)
    {
        Assert.Equal(expected, Naming.Pascal(name));
    }

    [Theory]
    [InlineData("3d point", "_3dPoint")]
    [InlineData("404", "_404")]
    [InlineData("2-FA", "_2Fa")]
    public void Pascal_prefixes_an_underscore_to_a_leading_digit(string name, string expected)
    {
        Assert.Equal(expected, Naming.Pascal(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData("--")]
    [InlineData(" _ ")]
    public void Pascal_of_a_name_without_letters_or_digits_is_empty(string name)
    {
        Assert.Equal("", Naming.Pascal(name));
        Assert.Equal("", Naming.Camel(name));
    }

    [Theory]
    [InlineData("public key", "publicKey")]
    [InlineData("HELLO OK", "helloOk")]
    [InlineData("client_id", "clientId")]
    [InlineData("3d", "_3d")]
    public void Camel_lower_cases_the_first_letter(string name, string expected)
    {
        Assert.Equal(expected, Naming.Camel(name));
    }

    [Theory]
    [InlineData("class", "@class")]
    [InlineData("EVENT", "@event")]
    [InlineData("string", "@string")]
    [InlineData("int", "@int")]
    [InlineData("Public", "@public")]
    [InlineData("namespace", "@namespace")]
    [InlineData("default", "@default")]
    public void Camel_escapes_csharp_keywords_with_an_at_sign(string name, string expected)
    {
        Assert.Equal(expected, Naming.Camel(name));
    }

    [Theory]
    [InlineData("type")]
    [InlineData("value")]
    [InlineData("record")]
    public void Camel_leaves_contextual_keywords_alone(string name)
    {
        Assert.Equal(name, Naming.Camel(name));
    }

    [Fact]
    public void Key_treats_case_spaces_hyphens_and_underscores_alike()
    {
        Assert.Equal("hello_ok", Naming.Key("HELLO-OK"));
        Assert.Equal(Naming.Key("HELLO-OK"), Naming.Key("hello ok"));
        Assert.Equal(Naming.Key("HELLO-OK"), Naming.Key("Hello_Ok"));
        // Word boundaries count: HelloOk is one word, so it is a different name with the same identifier (ZP2021).
        Assert.NotEqual(Naming.Key("HELLO OK"), Naming.Key("HelloOk"));
        Assert.Equal(Naming.Pascal("HELLO OK"), Naming.Pascal("HelloOk"));
    }

    [Theory]
    [InlineData("bad request", "BAD_REQUEST")]
    [InlineData("INTERNAL SERVER ERROR", "INTERNAL_SERVER_ERROR")]
    [InlineData("version", "VERSION")]
    public void UpperSnake_spells_names_as_zprotos_c_defines(string name, string expected)
    {
        Assert.Equal(expected, Naming.UpperSnake(name));
    }

    [Fact]
    public void Words_split_on_any_character_that_is_not_a_letter_or_digit()
    {
        Assert.Equal(new[] { "a", "b2", "c", "d" }, Naming.Words("a-b2_c d"));
        Assert.Equal(new[] { "x", "y" }, Naming.Words("x.y"));
    }

    [Theory]
    [InlineData("HELLO-OK")]
    [InlineData("public key")]
    [InlineData("3d")]
    [InlineData("größe")]
    [InlineData("class")]
    public void Every_non_empty_result_is_a_valid_csharp_identifier(string name)
    {
        Assert.Matches(@"^@?[\p{L}_][\p{L}\p{Nd}_]*$", Naming.Pascal(name));
        Assert.Matches(@"^@?[\p{L}_][\p{L}\p{Nd}_]*$", Naming.Camel(name));
    }
}
