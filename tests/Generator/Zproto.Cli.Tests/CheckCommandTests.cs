using System.IO;
using System.Linq;
using Xunit;

namespace Zproto.Cli.Tests;

/// <summary><c>zproto check</c>: diagnostics on stdout in compiler form, exit 1 on errors.</summary>
public class CheckCommandTests
{
    public static TheoryData<string> Models() => new(Directory.GetFiles(Repository.Models).Select(Path.GetFileName).Order()!);

    /// <summary>The protocol (codec) models, not the server and client state machines.</summary>
    public static TheoryData<string> ProtocolModels() =>
        new(Directory.GetFiles(Repository.Models).Where(f => GenerateCommandTests.Parse(f).Machine is null).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Models))]
    public void Check_prints_nothing_and_exits_0_for_a_clean_model(string model)
    {
        var result = Zproto.Run("check", Repository.Model(model));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Empty(result.Stdout);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Check_prints_each_error_as_path_line_column_id_and_exits_1()
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad_msg.xml", TestModels.DuplicateId);
        var result = Zproto.Run("check", path);
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StdoutLines);
        Assert.Matches(@"^" + System.Text.RegularExpressions.Regex.Escape(path) + @"\(5,\d+\): error ZP\d{4}: .*'TWO'.*$", line);
        Assert.Empty(result.Stderr);
    }

    [Fact]
    public void Check_names_a_missing_file_on_stderr_and_still_checks_the_others()
    {
        var missing = Path.Combine(Repository.Models, "no_such_model.xml");
        var result = Zproto.Run("check", missing, Repository.Model("zpipes_msg.xml"));
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.Stdout);
        var line = Assert.Single(result.StderrLines);
        Assert.Contains(missing, line);
        Assert.Contains("not found", line);
    }

    [Fact]
    public void Check_reports_a_state_machine_whose_protocol_is_nowhere()
    {
        using var temp = new TempDirectory();
        var server = File.ReadAllText(Repository.Model("echo_server.xml")).Replace("\"echo_msg\"", "\"lost_msg\"", System.StringComparison.Ordinal);
        var path = temp.File("lost_server.xml", server);
        var result = Zproto.Run("check", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.StdoutLines, l => l.StartsWith(path + "(", System.StringComparison.Ordinal) && l.Contains(": error ZP", System.StringComparison.Ordinal) && l.Contains("lost_msg", System.StringComparison.Ordinal));
    }

    [Fact]
    public void Check_without_a_model_is_a_usage_error()
    {
        var result = Zproto.Run("check");
        Assert.Equal(2, result.ExitCode);
        Assert.Single(result.StderrLines);
    }
}
