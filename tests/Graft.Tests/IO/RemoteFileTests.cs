using Graft.IO;

namespace Graft.Tests.IO;

public sealed class RemoteFileTests
{
    [Fact]
    public void TorchvisionNameCarriesItsHash()
    {
        RemoteFile file = RemoteFile.FromUrl("https://download.pytorch.org/models/resnet50-0676ba61.pth");
        Assert.Equal("resnet50-0676ba61.pth", file.FileName);
        Assert.Equal("0676ba61", file.Sha256);
    }

    [Fact]
    public void NameWithoutHashNeedsOne()
    {
        var error = Assert.Throws<ArgumentException>(() => RemoteFile.FromUrl("https://example.org/model.pth"));
        Assert.Contains("model.pth", error.Message);
        Assert.Equal("deadbeef", RemoteFile.FromUrl("https://example.org/model.pth", "DEADBEEF").Sha256);
    }

    [Theory]
    [InlineData("ftp://example.org/a.pth", "a.pth", "12345678")]
    [InlineData("https://example.org/a.pth", "../a.pth", "12345678")]
    [InlineData("https://example.org/a.pth", "a.pth", "1234567")]
    [InlineData("https://example.org/a.pth", "a.pth", "xyz45678")]
    public void InvalidDescriptionsAreRefused(string url, string name, string hash) =>
        Assert.Throws<ArgumentException>(() => new RemoteFile(url, name, hash));
}
