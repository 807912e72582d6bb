using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BarlowTwins;

/// <summary>
/// JSON for a value that has a text form (a backbone name, projector widths, λ): written as its
/// <see cref="object.ToString"/>, read by <see cref="Parse"/> from a string, or from a number's
/// digits (<c>"lambda": 0.0051</c> reads as <c>"0.0051"</c>). Parse errors stay the type's own sentences.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
public abstract class TextJsonConverter<T> : JsonConverter<T>
{
    /// <summary>The value written as <paramref name="text"/>.</summary>
    protected abstract T Parse(string text);

    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => Parse(reader.GetString()!),
        JsonTokenType.Number => Parse(Encoding.UTF8.GetString(reader.ValueSpan)),
        _ => throw new JsonException($"expected a string, not {reader.TokenType}."),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value!.ToString());
}
