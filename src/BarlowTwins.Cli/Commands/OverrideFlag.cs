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
internal sealed class OverrideFlag<TRecord, TValue>(string name, string description, Func<TRecord, TValue, TRecord> apply)
    : IOverrideFlag<TRecord>
{
    private readonly Option<TValue> _option = new(name) { Description = description };

    public Option Option => _option;

    public TRecord ApplyIfGiven(ParseResult parse, TRecord record) =>
        parse.GetResult(_option) is { Implicit: false } ? apply(record, parse.GetValue(_option)!) : record;
}
