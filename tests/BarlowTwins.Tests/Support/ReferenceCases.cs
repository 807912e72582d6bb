namespace BarlowTwins.Tests.Support;

/// <summary>
/// The cases of a section of the fixtures' manifest.json (bt_loss, lars, augment, …), in the
/// manifest's order: the reference tests run every case a fixture set holds, so a set generated
/// the same way, with more or other cases, runs without a change to the tests.
/// </summary>
public static class ReferenceCases
{
    /// <summary>The case names of <paramref name="section"/>.</summary>
    public static IReadOnlyList<string> Names(string section) =>
        SharedFixtures.Manifest.GetProperty(section).EnumerateObject().Select(p => p.Name).ToList();

    /// <summary>The case names of <paramref name="section"/> as theory data.</summary>
    public static TheoryData<string> Of(string section)
    {
        var data = new TheoryData<string>();
        foreach (var name in Names(section)) data.Add(name);
        return data;
    }
}
