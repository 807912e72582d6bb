using System.CommandLine;

namespace BarlowTwins.Cli.Commands;

/// <summary>
/// A flag that, when given, replaces one field of an options record. Flags have no defaults of
/// their own: what is not given keeps the value from the preset or the config file.
/// </summary>
internal interface IOverrideFlag<TRecord>
{
    Option Option { get; }

    TRecord ApplyIfGiven(ParseResult parse, TRecord record);
}

/// <inheritdoc />
/// <remarks>A hidden flag works but is left out of the help (an old spelling kept for scripts).</remarks>
internal sealed class OverrideFlag<TRecord, TValue>(string name, string description, Func<TRecord, TValue, TRecord> apply, bool hidden = false)
    : IOverrideFlag<TRecord>
{
    private readonly Option<TValue> _option = new(name) { Description = description, Hidden = hidden };

    public Option Option => _option;

    public TRecord ApplyIfGiven(ParseResult parse, TRecord record) =>
        parse.GetResult(_option) is { Implicit: false } ? apply(record, parse.GetValue(_option)!) : record;
}
