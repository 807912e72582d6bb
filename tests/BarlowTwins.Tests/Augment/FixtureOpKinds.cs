using System.Globalization;
using System.Text.RegularExpressions;

namespace BarlowTwins.Tests.Augment;

/// <summary>What <see cref="FixtureOpKinds{T}"/> share.</summary>
public static class FixtureOpKinds
{
    /// <summary>The variant of an op whose name no kind knows: its test row fails and names it.</summary>
    public const string Unknown = "(no kind)";

    /// <summary>The pipeline's own implementation of an op (as opposed to an alternative one, e.g. "tensor ops").</summary>
    public const string Pipeline = "pipeline";

    /// <summary>A number of an op's name, e.g. 1.3 of brightness_1.3.</summary>
    public static float Number(Match name, string group) => float.Parse(name.Groups[group].Value, CultureInfo.InvariantCulture);
}

/// <summary>
/// The op kinds of the augmentation fixtures, known by the pattern of their names, each with what
/// a test needs (<typeparamref name="T"/>: the op, its tolerance and why). An op's parameters are
/// read from its name as the manifest records them (brightness_1.3, gaussian_blur_k23_s2.0,
/// jitter_b1.2_c0.8_s1.1_h0.03), so a fixture set with new parameters of known kinds runs
/// unchanged; only a new kind of op needs a line.
/// </summary>
public sealed class FixtureOpKinds<T>
{
    private readonly List<(Regex Name, string Variant, Func<Match, T> Make)> _kinds = [];
    private readonly List<(Regex Name, string Why)> _excluded = [];

    /// <summary>Adds the kind whose names match <paramref name="pattern"/> (the whole name).</summary>
    public FixtureOpKinds<T> Add(string pattern, Func<Match, T> make, string variant = FixtureOpKinds.Pipeline)
    {
        _kinds.Add((new Regex("^" + pattern + "$"), variant, make));
        return this;
    }

    /// <summary>Leaves out the kind whose names match <paramref name="pattern"/>, for the reason given.</summary>
    public FixtureOpKinds<T> Exclude(string pattern, string why)
    {
        _excluded.Add((new Regex("^" + pattern + "$"), why));
        return this;
    }

    /// <summary>True when <paramref name="op"/> is of a kind left out on purpose.</summary>
    public bool IsExcluded(string op) => _excluded.Any(e => e.Name.IsMatch(op));

    /// <summary>The variants of the kind <paramref name="op"/> belongs to (none when no kind knows it).</summary>
    public IReadOnlyList<string> VariantsOf(string op) => _kinds.Where(k => k.Name.IsMatch(op)).Select(k => k.Variant).ToList();

    /// <summary>The test case of <paramref name="op"/> in <paramref name="variant"/>, its parameters read from the name.</summary>
    public T Case(string op, string variant)
    {
        Assert.False(variant == FixtureOpKinds.Unknown, $"The fixtures hold an op '{op}' of a kind no test knows: add its kind.");
        var (name, _, make) = _kinds.Single(k => k.Variant == variant && k.Name.IsMatch(op));
        return make(name.Match(op));
    }
}
