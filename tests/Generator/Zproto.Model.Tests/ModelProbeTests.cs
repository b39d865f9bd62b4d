using Xunit;

namespace Zproto.Model.Tests;

/// <summary>
/// <see cref="ModelParser.LooksLikeModel"/> and <see cref="ModelParser.IsModelFile"/> decide which
/// AdditionalFiles the generator compiles: they must agree with what the readers accept.
/// </summary>
public class ModelProbeTests
{
    [Theory]
    [InlineData("p.xml", "<class name = \"p\" />")]
    [InlineData("p.xml", "<?xml version = \"1.0\"?>\n<!-- header -->\n<class\n    name = \"p\">\n</class>")]
    [InlineData("p.xml", "<CLASS name = \"p\" />")]
    [InlineData("p.yaml", "# comment\nclass: p\n")]
    [InlineData("p.yml", "title: t\nclass: p\n")]
    [InlineData("p.yaml", "Class: p\n")]
    public void A_model_looks_like_a_model(string path, string text)
    {
        Assert.True(ModelParser.LooksLikeModel(path, text));
        Assert.True(ModelParser.IsModelFile(path));
    }

    [Theory]
    [InlineData("license.xml", "<license>MPL</license>")]
    [InlineData("fragment.xml", "<message name = \"a\" /><message name = \"b\" />")]
    [InlineData("classes.xml", "<classes />")]
    [InlineData("config.yaml", "messages:\n  - name: a\n")]
    [InlineData("nested.yaml", "outer:\n  class: p\n")]
    public void A_fragment_or_other_file_does_not_look_like_a_model(string path, string text)
    {
        Assert.False(ModelParser.LooksLikeModel(path, text));
    }

    [Theory]
    [InlineData("Codec.hbs")]
    [InlineData("model.json")]
    [InlineData("README.md")]
    public void Only_xml_yaml_and_yml_files_are_model_files(string path)
    {
        Assert.False(ModelParser.IsModelFile(path));
    }
}
