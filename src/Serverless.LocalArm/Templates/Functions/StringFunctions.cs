using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using static Serverless.LocalArm.Templates.ExpressionEvaluator;
using static Serverless.LocalArm.Templates.Functions.TemplateFunctions;

namespace Serverless.LocalArm.Templates.Functions;

/// <summary>String functions, <c>uniqueString</c> and <c>guid</c> among them (see <see cref="ArmHashes"/>).</summary>
internal static class StringFunctions
{
    public static void Register(Dictionary<string, TemplateFunction> functions)
    {
        functions["format"] = (args, _) => JsonValue.Create(string.Format(CultureInfo.InvariantCulture, Text(Arg(args, 0)), [.. args.Skip(1).Select(Text)]));
        functions["toLower"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).ToLowerInvariant());
        functions["toUpper"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).ToUpperInvariant());
        functions["trim"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).Trim());
        functions["replace"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).Replace(Text(Arg(args, 1)), Text(Arg(args, 2)), StringComparison.Ordinal));
        functions["string"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)));
        functions["substring"] = (args, _) => JsonValue.Create(Substring(Text(Arg(args, 0)), (int)Integer(Arg(args, 1)), args.Length > 2 ? (int)Integer(args[2]) : null));
        // ARM compares these four without regard to case.
        functions["startsWith"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).StartsWith(Text(Arg(args, 1)), StringComparison.OrdinalIgnoreCase));
        functions["endsWith"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).EndsWith(Text(Arg(args, 1)), StringComparison.OrdinalIgnoreCase));
        functions["indexOf"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).IndexOf(Text(Arg(args, 1)), StringComparison.OrdinalIgnoreCase));
        functions["lastIndexOf"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).LastIndexOf(Text(Arg(args, 1)), StringComparison.OrdinalIgnoreCase));
        functions["padLeft"] = (args, _) => JsonValue.Create(Text(Arg(args, 0)).PadLeft((int)Integer(Arg(args, 1)), args.Length > 2 ? Text(args[2]).FirstOrDefault(' ') : ' '));
        functions["split"] = (args, _) => Split(Text(Arg(args, 0)), Arg(args, 1));
        functions["base64"] = (args, _) => JsonValue.Create(Convert.ToBase64String(Encoding.UTF8.GetBytes(Text(Arg(args, 0)))));
        functions["base64ToString"] = (args, _) => JsonValue.Create(Encoding.UTF8.GetString(Convert.FromBase64String(Text(Arg(args, 0)))));
        functions["uriComponent"] = (args, _) => JsonValue.Create(Uri.EscapeDataString(Text(Arg(args, 0))));
        functions["uniqueString"] = (args, _) => JsonValue.Create(ArmHashes.UniqueString(Strings(args, "uniqueString")));
        functions["guid"] = (args, _) => JsonValue.Create(ArmHashes.NameBasedGuid(Strings(args, "guid")).ToString());
    }

    private static string Substring(string text, int start, int? length) =>
        start >= 0 && start <= text.Length && (length is null || (length >= 0 && start + length <= text.Length))
            ? length is { } n ? text.Substring(start, n) : text[start..]
            : throw new TemplateException("InvalidTemplate", $"The index and length of substring() are outside the string '{text}'.");

    private static JsonArray Split(string text, JsonNode? delimiters)
    {
        string[] separators = delimiters is JsonArray list ? [.. list.Select(Text)] : [Text(delimiters)];
        return new JsonArray([.. text.Split(separators, StringSplitOptions.None).Select(part => JsonValue.Create(part))]);
    }

    /// <summary>The arguments of a hash function: at least one, each a string, as ARM requires.</summary>
    private static string[] Strings(JsonNode?[] args, string function) =>
        args.Length > 0 && args.All(a => a is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String)
            ? [.. args.Select(Text)]
            : throw new TemplateException("InvalidTemplate", $"The template function '{function}' takes one or more string arguments.");
}
