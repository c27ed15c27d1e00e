using System.Globalization;
using System.Text;
using Graft.Text;

namespace Graft.Tests.Text;

public class FloatTextTests
{
    [Fact]
    public void AgreesBitForBitWithFloatParseOnRandomDecimals()
    {
        var random = new Random(1234);
        var formats = new[] { "F5", "F6", "F8", "G9", "E3", "E6", "R", "F0", "F2" };
        for (int n = 0; n < 200_000; n++)
        {
            double magnitude = Math.Pow(10, random.Next(-12, 12));
            double x = (random.NextDouble() * 2 - 1) * magnitude;
            string text = x.ToString(formats[n % formats.Length], CultureInfo.InvariantCulture);
            AssertSame(text);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("+1.5")]
    [InlineData(".5")]
    [InlineData("5.")]
    [InlineData("16777216")]
    [InlineData("16777217")]
    [InlineData("0.16777217")]
    [InlineData("1e10")]
    [InlineData("1e11")]
    [InlineData("1E-10")]
    [InlineData("3.4028235e38")]
    [InlineData("1e-45")]
    [InlineData("123456789012345678901234567890")]
    [InlineData("0e999")]
    [InlineData("NaN")]
    [InlineData("-Infinity")]
    public void AgreesWithFloatParseOnEdgeCases(string text) => AssertSame(text);

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("1e+")]
    [InlineData("1.2.3")]
    [InlineData("4,5")]
    [InlineData("0x10")]
    [InlineData("12a")]
    public void RejectsWhatIsNotANumber(string text) =>
        Assert.False(FloatText.TryParse(Encoding.ASCII.GetBytes(text), out _), text);

    private static void AssertSame(string text)
    {
        float expected = float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        Assert.True(FloatText.TryParse(Encoding.ASCII.GetBytes(text), out float actual), text);
        Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(actual),
            $"'{text}': float.Parse gives {expected:R}, FloatText gives {actual:R}");
    }
}
