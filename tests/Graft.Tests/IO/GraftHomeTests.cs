using Graft.IO;

namespace Graft.Tests.IO;

public sealed class GraftHomeTests
{
    [Fact]
    public void GraftHomeVariableWins()
    {
        var environment = new Dictionary<string, string?> { ["GRAFT_HOME"] = "/data/graft", ["XDG_CACHE_HOME"] = "/xdg" };
        Assert.Equal("/data/graft", GraftHome.Resolve(k => environment.GetValueOrDefault(k), "/home/u"));
    }

    [Fact]
    public void TildeIsExpanded() =>
        Assert.Equal("/home/u/models", GraftHome.Resolve(k => k == "GRAFT_HOME" ? "~/models" : null, "/home/u"));

    [Fact]
    public void XdgCacheThenHomeCache()
    {
        Assert.Equal("/xdg/graft", GraftHome.Resolve(k => k == "XDG_CACHE_HOME" ? "/xdg" : null, "/home/u"));
        Assert.Equal("/home/u/.cache/graft", GraftHome.Resolve(_ => null, "/home/u"));
    }

    [Fact]
    public void WeightsLiveUnderTheHome() =>
        Assert.Equal(Path.Combine(GraftHome.Path, "weights"), GraftHome.Weights);
}
