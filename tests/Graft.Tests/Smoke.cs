public class Smoke
{
    [Fact]
    public void TorchLoads() => Assert.Equal(4.0f, (TorchSharp.torch.ones(2, 2).sum().item<float>()));
}
