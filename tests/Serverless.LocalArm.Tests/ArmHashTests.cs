using Serverless.LocalArm.Templates;

namespace Serverless.LocalArm.Tests;

/// <summary>
/// <c>uniqueString()</c> and <c>guid()</c> give what ARM gives. The oracle is ARM's own expression
/// library, which the Bicep CLI ships and uses to evaluate a <c>.bicepparam</c> file.
/// </summary>
public sealed class ArmHashTests
{
    /// <summary>Arguments of every tail length of the hash's 8-byte blocks, several arguments, non-ASCII text, and the empty string.</summary>
    private static readonly string[][] Cases =
    [
        [""],
        ["test"],
        ["test", "test2"],
        ["a", "b", "c"],
        ["Grüße", "żółw", "日本"],
        ["/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-estate", "demo-site-westeurope"],
        .. Enumerable.Range(1, 17).Select(n => new[] { new string((char)('a' + n % 26), n) }),
    ];

    [Fact]
    public async Task UniqueString_and_guid_equal_the_values_of_ARMs_expression_library()
    {
        var directory = Directory.CreateTempSubdirectory("localarm-hashes-").FullName;
        try
        {
            var declarations = new StringBuilder();
            var values = new StringBuilder("using 'main.bicep'\n");
            var outputs = new JsonObject();
            for (var i = 0; i < Cases.Length; i++)
            {
                // The same literal arguments in both languages: the cases hold no quotes.
                var literals = string.Join(", ", Cases[i].Select(a => $"'{a}'"));
                declarations.Append($"param unique{i} string\nparam guid{i} string\n");
                values.Append($"param unique{i} = uniqueString({literals})\nparam guid{i} = guid({literals})\n");
                outputs[$"unique{i}"] = new JsonObject { ["type"] = "string", ["value"] = $"[uniqueString({literals})]" };
                outputs[$"guid{i}"] = new JsonObject { ["type"] = "string", ["value"] = $"[guid({literals})]" };
            }
            await File.WriteAllTextAsync(Path.Combine(directory, "main.bicep"), declarations.ToString());
            await File.WriteAllTextAsync(Path.Combine(directory, "main.bicepparam"), values.ToString());

            var expected = await BicepCli.BuildParamsAsync(Path.Combine(directory, "main.bicepparam"));
            var actual = TemplateModel.Read(new JsonObject { ["outputs"] = outputs }, null, new DeploymentScope("sub", "rg", "westeurope", "d")).Outputs;

            Assert.Equal("rbgf3xv4ufgzg", expected["unique1"]!["value"]!.GetValue<string>()); // the oracle is what it should be
            for (var i = 0; i < Cases.Length; i++)
            {
                var arguments = string.Join(", ", Cases[i]);
                Assert.True(expected[$"unique{i}"]!["value"]!.GetValue<string>() == actual[$"unique{i}"]!["value"]!.GetValue<string>(),
                    $"uniqueString({arguments}): ARM {expected[$"unique{i}"]}, stand-in {actual[$"unique{i}"]}");
                Assert.True(expected[$"guid{i}"]!["value"]!.GetValue<string>() == actual[$"guid{i}"]!["value"]!.GetValue<string>(),
                    $"guid({arguments}): ARM {expected[$"guid{i}"]}, stand-in {actual[$"guid{i}"]}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
