namespace Graft.Tests.Cli;

public class UsageTests
{
    [Fact]
    public void HelpListsTheCommandAndExitsZero()
    {
        var result = CliRunner.Run("--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Output);
        Assert.Contains("graft", result.Output);
    }

    [Fact]
    public void VersionPrintsTheAssemblyVersion()
    {
        var result = CliRunner.Run("--version");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("--no-such-option")]
    public void UnknownCommandsAndOptionsPrintUsageAndExitTwo(string argument)
    {
        var result = CliRunner.Run(argument);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"'{argument}'", result.Error);
        Assert.Contains("Usage:", result.Error);
    }
}
