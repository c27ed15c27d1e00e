using System.CommandLine;
using System.Globalization;

namespace Graft.Cli;

/// <summary>Option builders with the range checks every verb wants, so bad values are usage errors (exit code 2).</summary>
internal static class CliOptions
{
    /// <summary>A whole-number option with a default and a lower bound.</summary>
    public static Option<int> Int(string name, int defaultValue, int minimum, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum) result.AddError($"{name} must be at least {minimum}; got {value}.");
        });
        return option;
    }

    /// <summary>An optional whole-number option with a lower bound.</summary>
    public static Option<int?> OptionalInt(string name, int minimum, string description)
    {
        var option = new Option<int?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            int? value = result.GetValueOrDefault<int?>();
            if (value < minimum) result.AddError($"{name} must be at least {minimum}; got {value}.");
        });
        return option;
    }

    /// <summary>A positive number option (learning rates).</summary>
    public static Option<double?> PositiveNumber(string name, string description)
    {
        var option = new Option<double?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            double? value = result.GetValueOrDefault<double?>();
            if (value is not null && !(value > 0 && double.IsFinite(value.Value))) result.AddError($"{name} must be a positive number; got {value}.");
        });
        return option;
    }

    /// <summary>A fraction in [0, 1) (0 turns the feature off).</summary>
    public static Option<double> Fraction(string name, double defaultValue, string description)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value >= 0 && value < 1)) result.AddError($"{name} must be at least 0 and below 1; got {value.ToString(CultureInfo.InvariantCulture)}.");
        });
        return option;
    }

    /// <summary>A comma-separated list of positive whole numbers (<c>--shots 5,20,100</c>).</summary>
    public static Option<int[]> IntList(string name, int[] defaultValue, string description)
    {
        return new Option<int[]>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var values = new List<int>();
                foreach (var token in result.Tokens)
                    foreach (var part in token.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1)
                        {
                            result.AddError($"{name} takes whole numbers of at least 1 separated by commas (e.g. 5,20,100); '{part}' is not one.");
                            return [];
                        }
                        values.Add(value);
                    }
                if (values.Count == 0) result.AddError($"{name} needs at least one number.");
                return values.Distinct().ToArray();
            },
        };
    }

    /// <summary>An option whose value must be one of <paramref name="choices"/>.</summary>
    public static Option<string> Choice(string name, string defaultValue, string description, params string[] choices)
    {
        var option = new Option<string>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }
}
