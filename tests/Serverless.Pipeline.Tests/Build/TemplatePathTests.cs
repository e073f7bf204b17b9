using Serverless.Pipeline.Build;

namespace Serverless.Pipeline.Tests.Build;

/// <summary>
/// The check before compiling: every file a template can make Bicep read must be inside the stack's workspace.
/// On folders written by the test; no git, no Bicep CLI.
/// </summary>
public sealed class TemplatePathTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("template-paths-").FullName;
    private readonly string _workspace;

    public TemplatePathTests()
    {
        _workspace = Path.Combine(_root, "workspace");
        Directory.CreateDirectory(Path.Combine(_workspace, "modules"));
        File.WriteAllText(Path.Combine(_root, "outside.txt"), "not the stack's");
        File.WriteAllText(Path.Combine(_workspace, "modules", "inner.txt"), "the stack's");
    }

    public static TheoryData<string, string, int, int> Escapes() => new()
    {
        { "output p string = loadTextContent('../../../../../../../../etc/passwd')", "loadTextContent", 1, 35 },
        { "output e string = loadFileAsBase64('../../../../../../../../proc/self/environ')", "loadFileAsBase64", 1, 36 },
        { "output j object = loadJsonContent('../outside.json')", "loadJsonContent", 1, 35 },
        { "output y object = loadYamlContent('../outside.yaml')", "loadYamlContent", 1, 35 },
        { "output d object = loadDirectoryFileInfo('..')", "loadDirectoryFileInfo", 1, 41 },
        { "output s string = sys.loadTextContent('../outside.txt')", "loadTextContent", 1, 39 },
        { "output p string = loadTextContent('/etc/passwd')", "loadTextContent", 1, 35 },
        { "output p string = loadTextContent('modules/../../outside.txt')", "loadTextContent", 1, 35 },
        { "output p string = loadTextContent('\\u{2E}\\u{2E}/outside.txt')", "loadTextContent", 1, 35 },
        { "output p string = loadTextContent('''\n../outside.txt''')", "loadTextContent", 1, 35 },
        { "output p string = loadTextContent(/* comment */ '../outside.txt')", "loadTextContent", 1, 49 },
        { "output p string = '${loadTextContent('../outside.txt')}'", "loadTextContent", 1, 38 },
        { "module m '../outside.bicep' = {\n  name: 'm'\n}", "module", 1, 10 },
        { "module m '/tmp/outside.bicep' = {\n  name: 'm'\n}", "module", 1, 10 },
        { "import {a} from '../outside.bicep'", "from", 1, 17 },
        { "import * as shared from '../../shared.bicep'", "from", 1, 25 },
        { "import '../outside.bicep'", "import", 1, 8 },
        { "extension '../ext.tgz'", "extension", 1, 11 },
        { "\n\n  output p string = loadTextContent('../outside.txt')", "loadTextContent", 3, 37 },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public void A_path_that_leaves_the_workspace_is_refused_with_its_file_line_and_column(string bicep, string construct, int line, int column)
    {
        var problem = Assert.Single(Check(bicep));

        Assert.Equal("template", problem.Source);
        Assert.Equal("main.bicep", problem.File);
        Assert.Equal(construct, problem.Field);
        Assert.Equal((line, column), (problem.Line, problem.Column));
        Assert.Matches("(leaves the stack's folder|is absolute)", problem.Message);
    }

    public static TheoryData<string> Expressions() =>
    [
        "var p = '../outside.txt'\noutput o string = loadTextContent(p)",
        "var d = '..'\noutput o string = loadTextContent('${d}/outside.txt')",
        "var o = { a: '../outside.txt' }\noutput o string = loadTextContent(o.a)",
        "output o string = loadTextContent(true ? '../outside.txt' : 'x.txt')",
        "output o string = loadTextContent(toLower('../OUTSIDE.txt'))",
        "var d = '..'\noutput o string = loadTextContent($'''${d}/outside.txt''')",
        "func read(p string) string => loadTextContent(p)",
    ];

    /// <summary>The Bicep CLI accepts any compile-time constant here (variables, interpolation, even toLower()): only a literal can be checked.</summary>
    [Theory]
    [MemberData(nameof(Expressions))]
    public void A_load_function_whose_path_is_an_expression_is_refused(string bicep)
    {
        var problem = Assert.Single(Check(bicep));

        Assert.Equal("loadTextContent", problem.Field);
        Assert.Contains("must be a plain string literal", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("module m 'br:mcr.microsoft.com/bicep/avm/res/network/virtual-network:0.1.0' = {\n  name: 'm'\n}")]
    [InlineData("module m 'br/public:avm/res/network/virtual-network:0.1.0' = {\n  name: 'm'\n}")]
    [InlineData("module m 'ts:00000000-0000-0000-0000-000000000000/rg/spec:1.0' = {\n  name: 'm'\n}")]
    [InlineData("extension 'br:127.0.0.1:5000/extensions/evil:1.0'")]
    public void A_registry_reference_is_refused_because_builds_never_restore(string bicep)
    {
        var problem = Assert.Single(Check(bicep));

        Assert.Contains("registry reference", problem.Message, StringComparison.Ordinal);
        Assert.Equal((1, bicep.IndexOf('\'') + 1), (problem.Line, problem.Column));
    }

    [Fact]
    public void Files_inside_the_workspace_pass_and_so_do_look_alikes_in_comments_and_strings()
    {
        File.WriteAllText(Path.Combine(_workspace, "modules", "routes.bicep"), "output text string = loadTextContent('inner.txt')\n");
        Directory.CreateDirectory(Path.Combine(_workspace, "modules", "br"));
        File.WriteAllText(Path.Combine(_workspace, "modules", "br", "x.bicep"), "");
        var problems = Check("""
            // output leak string = loadTextContent('../outside.txt')
            /* module evil '../evil.bicep' = {} */
            var note = 'loadTextContent(\'../outside.txt\')'
            var loadBalancerName = 'lb'
            param module string = 'x'
            output text string = loadTextContent('modules/inner.txt', 'utf-8')
            output same string = loadTextContent('./modules/../modules/inner.txt')
            module routes 'modules/routes.bicep' = {
              name: 'routes'
            }
            module folder 'modules/br/x.bicep' = {
              name: 'folder'
            }
            """);

        Assert.Empty(problems);
    }

    [Fact]
    public void A_module_is_checked_too_and_its_paths_resolve_from_its_own_folder()
    {
        File.WriteAllText(Path.Combine(_workspace, "modules", "nested.bicep"), "output ok string = loadTextContent('inner.txt')\noutput leak string = loadTextContent('../../outside.txt')\n");
        File.WriteAllText(Path.Combine(_workspace, "modules", "shared.bicep"), "@export()\nvar secret = loadTextContent('../../../outside.txt')\n");

        var problems = Check("module nested 'modules/nested.bicep' = {\n  name: 'nested'\n}\nimport {secret} from 'modules/shared.bicep'\n");

        Assert.Equal(["modules/nested.bicep(2,38)", "modules/shared.bicep(2,30)"],
            problems.Select(p => $"{p.File}({p.Line},{p.Column})").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_symbolic_link_inside_the_workspace_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_workspace, "passwd"), "/etc/passwd");
        Directory.CreateSymbolicLink(Path.Combine(_workspace, "up"), _root);

        var problems = Check("output a string = loadTextContent('passwd')\noutput b string = loadTextContent('up/outside.txt')\n");

        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("passes through the symbolic link", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bicepconfig_json_may_not_point_extensions_outside_or_move_the_cache()
    {
        File.WriteAllText(Path.Combine(_workspace, TemplatePaths.ConfigFile), """
            {
              // Bicep reads comments in its configuration.
              "cacheRootDirectory": "/etc",
              "extensions": {
                "up": "../ext.tgz",
                "root": "/tmp/ext.tgz",
                "remote": "br:127.0.0.1:5000/evil:1.0",
                "local": "./extensions/ok.tgz"
              },
              "implicitExtensions": ["up"]
            }
            """);

        var problems = Check("output x int = 1");

        Assert.Equal(["cacheRootDirectory(3,3)", "extensions.remote(7,15)", "extensions.root(6,13)", "extensions.up(5,11)"],
            problems.Select(p => $"{p.Field}({p.Line},{p.Column})").Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Equal("bicepconfig.json", p.File));
    }

    [Fact]
    public void The_nearest_bicepconfig_json_of_a_reached_file_is_checked()
    {
        Directory.CreateDirectory(Path.Combine(_workspace, "modules", "deep"));
        File.WriteAllText(Path.Combine(_workspace, "modules", "deep", "m.bicep"), "output x int = 1\n");
        File.WriteAllText(Path.Combine(_workspace, "modules", TemplatePaths.ConfigFile), """{"extensions": {"x": "../../ext.tgz"}}""");

        var problem = Assert.Single(Check("module m 'modules/deep/m.bicep' = {\n  name: 'm'\n}\n"));

        Assert.Equal("modules/bicepconfig.json", problem.File);
    }

    [Fact]
    public void A_file_that_is_not_Bicep_is_refused_rather_than_guessed()
    {
        var problem = Assert.Single(Check("output p string = loadTextContent('../outside.txt)\n"));

        Assert.Contains("cannot be read as Bicep", problem.Message, StringComparison.Ordinal);
        Assert.Equal((1, 35), (problem.Line, problem.Column));
    }

    [Fact]
    public void Interpolation_nested_deeper_than_the_lexer_allows_is_refused_without_exhausting_the_hosts_stack()
    {
        const int depth = 200_000;
        var nested = string.Concat(Enumerable.Repeat("'${", depth)) + "1" + string.Concat(Enumerable.Repeat("}'", depth));

        var problem = Assert.Single(Check($"output deep string = {nested}\n"));

        Assert.Contains("nest more than 32 deep", problem.Message, StringComparison.Ordinal);
    }

    private IReadOnlyList<BuildProblem> Check(string bicep)
    {
        var template = Path.Combine(_workspace, "main.bicep");
        File.WriteAllText(template, bicep);
        return TemplatePaths.Check(_workspace, template);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
