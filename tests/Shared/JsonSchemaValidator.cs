using System.Text.Json;
using System.Text.RegularExpressions;

namespace LatencyGate.Tests.Reporting;

/// <summary>
/// A small JSON Schema validator (draft-04/07 keywords used by the SARIF and manifest schemas), since
/// no schema library is obtainable here. Unknown keywords throw, so a schema using something this
/// does not check cannot pass silently. <c>format</c> is an annotation only, as in draft 7's default.
/// </summary>
internal sealed class JsonSchemaValidator
{
    private static readonly HashSet<string> Annotations = ["$schema", "id", "$id", "title", "description", "default", "format", "examples"];

    private readonly JsonElement _root;

    public JsonSchemaValidator(JsonElement root) => _root = root;

    public static JsonSchemaValidator FromFile(string path) => new(JsonDocument.Parse(File.ReadAllText(path)).RootElement);

    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(_root, instance, "$", errors);
        return errors;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{path}: no value is allowed here");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var k = keyword.Value;
            switch (keyword.Name)
            {
                case "$ref":
                    Check(Resolve(k.GetString()!), value, path, errors);
                    break;
                case "type":
                    var types = k.ValueKind == JsonValueKind.Array ? k.EnumerateArray().Select(t => t.GetString()!).ToArray() : [k.GetString()!];
                    if (!types.Any(t => HasType(value, t)))
                    {
                        errors.Add($"{path}: expected type {string.Join("|", types)}, got {value.ValueKind}");
                    }

                    break;
                case "enum":
                    if (!k.EnumerateArray().Any(e => JsonElement.DeepEquals(e, value)))
                    {
                        errors.Add($"{path}: {value.GetRawText()} is not one of {k.GetRawText()}");
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(k, value))
                    {
                        errors.Add($"{path}: expected {k.GetRawText()}, got {value.GetRawText()}");
                    }

                    break;
                case "required":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var name in k.EnumerateArray().Select(n => n.GetString()!).Where(n => !value.TryGetProperty(n, out _)))
                        {
                            errors.Add($"{path}: required property '{name}' is missing");
                        }
                    }

                    break;
                case "properties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in k.EnumerateObject())
                        {
                            if (value.TryGetProperty(p.Name, out var child))
                            {
                                Check(p.Value, child, $"{path}.{p.Name}", errors);
                            }
                        }
                    }

                    break;
                case "additionalProperties":
                    if (value.ValueKind == JsonValueKind.Object)
                    {
                        var declared = schema.TryGetProperty("properties", out var props) ? props.EnumerateObject().Select(p => p.Name).ToHashSet() : [];
                        foreach (var p in value.EnumerateObject().Where(p => !declared.Contains(p.Name)))
                        {
                            if (k.ValueKind == JsonValueKind.False)
                            {
                                errors.Add($"{path}: property '{p.Name}' is not allowed");
                            }
                            else
                            {
                                Check(k, p.Value, $"{path}.{p.Name}", errors);
                            }
                        }
                    }

                    break;
                case "minProperties":
                    if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Count() < k.GetInt32())
                    {
                        errors.Add($"{path}: fewer than {k.GetInt32()} properties");
                    }

                    break;
                case "maxProperties":
                    if (value.ValueKind == JsonValueKind.Object && value.EnumerateObject().Count() > k.GetInt32())
                    {
                        errors.Add($"{path}: more than {k.GetInt32()} properties");
                    }

                    break;
                case "items":
                    if (value.ValueKind == JsonValueKind.Array)
                    {
                        var i = 0;
                        foreach (var item in value.EnumerateArray())
                        {
                            Check(k, item, $"{path}[{i++}]", errors);
                        }
                    }

                    break;
                case "minItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() < k.GetInt32())
                    {
                        errors.Add($"{path}: fewer than {k.GetInt32()} items");
                    }

                    break;
                case "maxItems":
                    if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > k.GetInt32())
                    {
                        errors.Add($"{path}: more than {k.GetInt32()} items");
                    }

                    break;
                case "uniqueItems":
                    if (k.GetBoolean() && value.ValueKind == JsonValueKind.Array)
                    {
                        var items = value.EnumerateArray().ToArray();
                        for (var a = 0; a < items.Length; a++)
                        {
                            for (var b = a + 1; b < items.Length; b++)
                            {
                                if (JsonElement.DeepEquals(items[a], items[b]))
                                {
                                    errors.Add($"{path}: items {a} and {b} are equal but must be unique");
                                }
                            }
                        }
                    }

                    break;
                case "minimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() < k.GetDouble())
                    {
                        errors.Add($"{path}: {value.GetRawText()} is below the minimum {k.GetRawText()}");
                    }

                    break;
                case "maximum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() > k.GetDouble())
                    {
                        errors.Add($"{path}: {value.GetRawText()} is above the maximum {k.GetRawText()}");
                    }

                    break;
                case "exclusiveMinimum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() <= k.GetDouble())
                    {
                        errors.Add($"{path}: {value.GetRawText()} must be greater than {k.GetRawText()}");
                    }

                    break;
                case "exclusiveMaximum":
                    if (value.ValueKind == JsonValueKind.Number && value.GetDouble() >= k.GetDouble())
                    {
                        errors.Add($"{path}: {value.GetRawText()} must be less than {k.GetRawText()}");
                    }

                    break;
                case "multipleOf":
                    if (value.ValueKind == JsonValueKind.Number && Math.Abs(Math.IEEERemainder(value.GetDouble(), k.GetDouble())) > 1e-9)
                    {
                        errors.Add($"{path}: {value.GetRawText()} is not a multiple of {k.GetRawText()}");
                    }

                    break;
                case "minLength":
                    if (value.ValueKind == JsonValueKind.String && value.GetString()!.Length < k.GetInt32())
                    {
                        errors.Add($"{path}: shorter than {k.GetInt32()}");
                    }

                    break;
                case "pattern":
                    if (value.ValueKind == JsonValueKind.String && !Regex.IsMatch(value.GetString()!, k.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        errors.Add($"{path}: '{value.GetString()}' does not match {k.GetString()}");
                    }

                    break;
                case "anyOf":
                    if (!k.EnumerateArray().Any(s => Passes(s, value, path)))
                    {
                        errors.Add($"{path}: matches none of anyOf");
                    }

                    break;
                case "oneOf":
                    var matches = k.EnumerateArray().Count(s => Passes(s, value, path));
                    if (matches != 1)
                    {
                        errors.Add($"{path}: matches {matches} of oneOf (exactly 1 required)");
                    }

                    break;
                case "allOf":
                    foreach (var s in k.EnumerateArray())
                    {
                        Check(s, value, path, errors);
                    }

                    break;
                case "definitions":
                    break;
                default:
                    if (!Annotations.Contains(keyword.Name))
                    {
                        throw new NotSupportedException($"JSON Schema keyword '{keyword.Name}' is not supported by this validator");
                    }

                    break;
            }
        }
    }

    private bool Passes(JsonElement schema, JsonElement value, string path)
    {
        var errors = new List<string>();
        Check(schema, value, path, errors);
        return errors.Count == 0;
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"only local references are supported: {reference}");
        }

        var node = _root;
        foreach (var part in reference[2..].Split('/'))
        {
            node = node.GetProperty(part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && double.IsInteger(value.GetDouble()),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException($"unknown JSON type '{type}'"),
    };
}
