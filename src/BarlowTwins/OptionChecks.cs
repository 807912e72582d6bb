namespace BarlowTwins;

/// <summary>
/// The checks the options records share (pre-training, evaluation, embed, export, preview): each problem a
/// sentence naming the option (by its flag's name) and the value, collected so that one error
/// lists them all. It sits below every folder so that any of them can use it.
/// </summary>
internal sealed class OptionChecks
{
    private readonly List<string> _problems = [];

    /// <summary>Records <paramref name="message"/> unless <paramref name="ok"/>.</summary>
    public OptionChecks Require(bool ok, string message)
    {
        if (!ok) _problems.Add(message);
        return this;
    }

    /// <summary>
    /// A count of at least <paramref name="min"/>; null (an option that is off) passes. <paramref name="why"/>,
    /// when given, is the reason, said in brackets.
    /// </summary>
    public OptionChecks AtLeast(string name, long? value, long min, string? why = null) =>
        Require(value is null || value >= min, $"{name} must be at least {min}{(why is null ? "" : $" ({why})")}, not {value}.");

    /// <summary>A finite number above 0 (a rate, a temperature); null (an option that is off) passes.</summary>
    public OptionChecks Positive(string name, double? value) =>
        Require(value is null || (double.IsFinite(value.Value) && value > 0), $"{name} must be a finite number > 0, not {value}.");

    /// <summary>A finite number of at least 0 (a weight decay). NaN fails every comparison but +Inf passes "≥ 0": both are refused.</summary>
    public OptionChecks NotNegative(string name, double value) =>
        Require(double.IsFinite(value) && value >= 0, $"{name} must be a finite number ≥ 0, not {value}.");

    /// <summary>A momentum (SGD's, or an Adam β), in [0, 1).</summary>
    public OptionChecks Momentum(string name, double value) => Require(value is >= 0 and < 1, $"{name} must be in [0, 1), not {value}.");

    /// <summary>Records <paramref name="problem"/>, a check's own sentence, unless it is null (no problem).</summary>
    public OptionChecks Problem(string? problem) => problem is null ? this : Require(false, problem);

    /// <summary>A device this build can use (<see cref="ComputeDevice.Problem"/>).</summary>
    public OptionChecks Device(string name) => Problem(ComputeDevice.Problem(name));

    /// <summary>A name out of <paramref name="allowed"/> (e.g. a precision: <c>Training.Precision.Precisions.Names</c>).</summary>
    public OptionChecks OneOf(string what, string name, IReadOnlyList<string> allowed) =>
        Require(allowed.Contains(name), $"{what} must be {string.Join(", ", allowed)}, not '{name}'.");

    /// <summary>
    /// Runs <paramref name="parse"/> (a data spec, a preset name) and records the sentence of the
    /// <see cref="FormatException"/> or <see cref="ArgumentException"/> it throws, if any.
    /// </summary>
    public OptionChecks Parses(Action parse)
    {
        try { parse(); }
        catch (Exception e) when (e is FormatException or ArgumentException) { _problems.Add(e.Message); }
        return this;
    }

    /// <summary>Every problem recorded so far, in order; empty when the options are valid.</summary>
    public IReadOnlyList<string> Problems => _problems;

    /// <summary>Throws an <see cref="ArgumentException"/> listing every problem of the <paramref name="what"/> options, if any.</summary>
    public void ThrowIfAny(string what)
    {
        if (_problems.Count > 0) throw new ArgumentException($"Invalid {what} options: {string.Join(" ", _problems)}");
    }
}
