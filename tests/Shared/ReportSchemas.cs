using System.Text.Json;
using System.Xml;
using System.Xml.Schema;
using LatencyGate.Tests.Reporting;

namespace LatencyGate.Tests;

/// <summary>The report schemas every test project checks against: the OASIS SARIF 2.1.0 JSON schema and a JUnit XSD.</summary>
internal static class ReportSchemas
{
    public static string Folder { get; } = Path.Combine(ReferenceData.RepositoryRoot, "tests", "Shared", "Schemas");

    public static JsonSchemaValidator Sarif() => JsonSchemaValidator.FromFile(Path.Combine(Folder, "sarif-schema-2.1.0.json"));

    public static IReadOnlyList<string> ValidateSarif(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return Sarif().Validate(doc.RootElement);
    }

    public static IReadOnlyList<string> ValidateJUnit(string xml)
    {
        var errors = new List<string>();
        var schemas = new XmlSchemaSet();
        using (var xsd = XmlReader.Create(Path.Combine(Folder, "JUnit.xsd")))
        {
            schemas.Add(null, xsd);
        }

        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add(e.Message);
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        while (reader.Read())
        {
        }

        return errors;
    }
}
