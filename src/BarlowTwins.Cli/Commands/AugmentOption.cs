using System.CommandLine;

namespace BarlowTwins.Cli.Commands;

/// <summary>
/// <c>--augment</c>: the augmentation preset (size and normalisation) of <c>eval</c>, <c>embed</c>,
/// <c>preview</c> and <c>bench augment</c>, named as on <c>pretrain</c>. Its old name <c>--preset</c>
/// (which on <c>pretrain</c> and <c>ablate</c> means the training preset) still works, unlisted, for one release.
/// </summary>
internal sealed class AugmentOption
{
    private readonly Option<string?> _option;
    private readonly Option<string?> _oldName = new("--preset") { Hidden = true };

    /// <summary>The option, described by <paramref name="description"/>, with <paramref name="defaultValue"/> when not given.</summary>
    public AugmentOption(string description, string? defaultValue = null)
    {
        _option = new Option<string?>("--augment") { Description = description };
        if (defaultValue is not null) _option.DefaultValueFactory = _ => defaultValue;
    }

    /// <summary>Adds both spellings to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(_option);
        command.Options.Add(_oldName);
    }

    /// <summary>The preset given, under either name (or the default).</summary>
    public string? Value(ParseResult parse)
    {
        bool old = parse.GetResult(_oldName) is { Implicit: false }, current = parse.GetResult(_option) is { Implicit: false };
        if (old && current) throw new ArgumentException("--preset is the old name of --augment: give --augment alone.");
        return old ? parse.GetValue(_oldName) : parse.GetValue(_option);
    }
}
