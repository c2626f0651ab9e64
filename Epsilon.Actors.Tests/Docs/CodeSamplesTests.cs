using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;
using Epsilon.Actors.Tests.TestKit;

namespace Epsilon.Actors.Tests.Docs;

/// <summary>
/// Every <c>```csharp</c> block of README.md and docs/ compiles as shown, each on its own, as a
/// new console project referencing Epsilon would compile it: C# latest, nullable on, the SDK's
/// implicit usings, and the assemblies this test runs with (the framework, Akka, Akka.Hosting,
/// Epsilon.Actors.*). A block fenced <c>```csharp fragment</c> is an excerpt (a few lines of an
/// actor, a signature) and is not compiled; keep those few. Compiled in-process with Roslyn.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class CodeSamplesTests
{
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> s_references = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray());

    [GeneratedRegex(@"^```csharp(?<info>[^\n]*)\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();

    public static TheoryData<string> Samples()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _, fragment) in AllBlocks())
        {
            if (!fragment) data.Add(name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Compiles_as_shown(string sample)
    {
        var code = AllBlocks().Single(b => b.Name == sample).Code;
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Sample",
            [CSharpSyntaxTree.ParseText(code, parse, path: sample), CSharpSyntaxTree.ParseText(ImplicitUsings, parse, path: "ImplicitUsings.cs")],
            s_references.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        // CS5001: a block of type declarations only has no entry point, which is fine for a sample.
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS5001")
            .Select(d => d.ToString())
            .ToList();
        Assert.True(errors.Count == 0, $"{sample} does not compile:\n{string.Join("\n", errors)}\n---\n{code}");
    }

    [Fact]
    public void The_samples_are_found_and_fragments_are_few()
    {
        var blocks = AllBlocks().ToList();
        Assert.Contains(blocks, b => b.Name.StartsWith("README.md", StringComparison.Ordinal) && !b.Fragment);
        Assert.True(blocks.Count(b => !b.Fragment) >= 8, $"only {blocks.Count(b => !b.Fragment)} compiled samples found");
        Assert.True(blocks.Count(b => b.Fragment) <= blocks.Count / 3, $"{blocks.Count(b => b.Fragment)} of {blocks.Count} blocks are fragments");
    }

    /// <summary>Each block as "file:line", its code, and whether it is marked <c>fragment</c>.</summary>
    private static IEnumerable<(string Name, string Code, bool Fragment)> AllBlocks()
    {
        var root = ExternalTool.RepositoryRoot();
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        foreach (var file in files)
        {
            var text = File.ReadAllText(file).ReplaceLineEndings("\n");
            foreach (Match match in CsharpBlock().Matches(text))
            {
                var line = text.AsSpan(0, match.Index).Count('\n') + 1;
                var name = $"{Path.GetRelativePath(root, file)}:{line}";
                yield return (name, match.Groups["code"].Value, match.Groups["info"].Value.Trim() == "fragment");
            }
        }
    }
}
