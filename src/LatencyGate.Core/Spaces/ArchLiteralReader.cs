using System.Globalization;
using LatencyGate.Diagnostics;

namespace LatencyGate.Spaces;

/// <summary>
/// Recursive-descent reader accepting both JSON and Python dict literals (quotes ' or ",
/// None/null, True/False/true/false, trailing commas), tracking line and column for errors.
/// </summary>
internal sealed class ArchLiteralReader
{
    private const int MaxNesting = 16;
    private readonly string _text;
    private readonly SourceLocation? _source;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public ArchLiteralReader(string text, SourceLocation? source)
    {
        _text = text;
        _source = source;
    }

    public ArchLiteral ReadDocument()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw Error("the arch text is empty");
        }

        var value = ReadValue(0);
        SkipSpace();
        if (_pos < _text.Length)
        {
            throw Error($"unexpected '{_text[_pos]}' after the end of the arch");
        }

        return value;
    }

    private ArchLiteral ReadValue(int depth)
    {
        if (depth > MaxNesting)
        {
            throw Error("the arch is nested too deeply");
        }

        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw Error("the arch text ends early (truncated?)");
        }

        var location = Here();
        var c = _text[_pos];
        switch (c)
        {
            case '{':
                return ReadObject(depth, location);
            case '[':
            case '(':
                return ReadList(depth, location);
            case '"':
            case '\'':
                return new ArchLiteral(ArchLiteral.LiteralKind.String, ReadString(), location);
            default:
                if (c == '-' || c == '+' || char.IsAsciiDigit(c))
                {
                    return new ArchLiteral(ArchLiteral.LiteralKind.Number, ReadWhile(ch => char.IsAsciiDigit(ch) || ch is '.' or 'e' or 'E' or '-' or '+'), location);
                }

                if (char.IsAsciiLetter(c))
                {
                    var word = ReadWhile(char.IsAsciiLetterOrDigit);
                    return word switch
                    {
                        "None" or "null" => new ArchLiteral(ArchLiteral.LiteralKind.Null, word, location),
                        "True" or "False" or "true" or "false" => new ArchLiteral(ArchLiteral.LiteralKind.Boolean, word, location),
                        _ => throw Error($"unexpected word '{EchoText.Cut(word)}'", location),
                    };
                }

                throw Error($"unexpected '{c}'", location);
        }
    }

    private ArchLiteral ReadObject(int depth, SourceLocation? location)
    {
        _pos++;
        var fields = new Dictionary<string, ArchLiteral>(StringComparer.Ordinal);
        while (true)
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw Error("the arch text ends inside an object (truncated?)");
            }

            if (_text[_pos] == '}')
            {
                _pos++;
                return new ArchLiteral(ArchLiteral.LiteralKind.Object, "{...}", location, Fields: fields);
            }

            var keyLocation = Here();
            if (_text[_pos] is not ('"' or '\''))
            {
                throw Error($"expected a quoted field name, found '{_text[_pos]}'");
            }

            var key = ReadString();
            SkipSpace();
            Expect(':');
            var value = ReadValue(depth + 1);
            if (!fields.TryAdd(key, value with { Location = value.Kind is ArchLiteral.LiteralKind.List or ArchLiteral.LiteralKind.Object ? keyLocation : value.Location }))
            {
                throw Error($"field '{EchoText.Cut(key)}' appears twice", keyLocation);
            }

            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
            }
            else if (_pos < _text.Length && _text[_pos] != '}')
            {
                throw Error($"expected ',' or '}}', found '{_text[_pos]}'");
            }
        }
    }

    private ArchLiteral ReadList(int depth, SourceLocation? location)
    {
        var close = _text[_pos] == '[' ? ']' : ')';
        _pos++;
        var items = new List<ArchLiteral>();
        while (true)
        {
            SkipSpace();
            if (_pos >= _text.Length)
            {
                throw Error("the arch text ends inside a list (truncated?)");
            }

            if (_text[_pos] == close)
            {
                _pos++;
                return new ArchLiteral(ArchLiteral.LiteralKind.List, "[...]", location, Items: items);
            }

            items.Add(ReadValue(depth + 1));
            SkipSpace();
            if (_pos < _text.Length && _text[_pos] == ',')
            {
                _pos++;
            }
            else if (_pos < _text.Length && _text[_pos] != close)
            {
                throw Error($"expected ',' or '{close}', found '{_text[_pos]}'");
            }
        }
    }

    private string ReadString()
    {
        var quote = _text[_pos];
        _pos++;
        var start = _pos;
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] is '\n' or '\\')
            {
                throw Error("field names and strings in an arch are plain words without escapes or line breaks");
            }

            _pos++;
        }

        if (_pos >= _text.Length)
        {
            throw Error("a string is not closed (truncated?)");
        }

        var value = _text[start.._pos];
        _pos++;
        return value;
    }

    private string ReadWhile(Func<char, bool> predicate)
    {
        var start = _pos;
        while (_pos < _text.Length && predicate(_text[_pos]))
        {
            _pos++;
        }

        return _text[start.._pos];
    }

    private void Expect(char c)
    {
        if (_pos >= _text.Length)
        {
            throw Error($"expected '{c}', but the arch text ends (truncated?)");
        }

        if (_text[_pos] != c)
        {
            throw Error($"expected '{c}', found '{_text[_pos]}'");
        }

        _pos++;
    }

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            if (_text[_pos] == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }

            _pos++;
        }
    }

    private SourceLocation? Here()
    {
        if (_source is null)
        {
            return null;
        }

        var column = _pos - _lineStart + 1;
        var baseLine = Math.Max(1, _source.Line);
        var baseColumn = Math.Max(1, _source.Column);
        return _line == 1
            ? _source with { Line = baseLine, Column = baseColumn + column - 1 }
            : _source with { Line = baseLine + _line - 1, Column = column };
    }

    private LatencyGateException Error(string message, SourceLocation? location = null) =>
        new(ArchErrors.Unparseable, string.Create(CultureInfo.InvariantCulture, $"not an arch: {message}"), location ?? Here());
}
