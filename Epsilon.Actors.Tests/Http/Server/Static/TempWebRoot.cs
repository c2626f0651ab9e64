namespace Epsilon.Actors.Tests.Http.Server.Static;

/// <summary>
/// A real directory tree for static-file tests: <c>root/</c> (served) beside <c>outside/</c> (not
/// served), with files and symbolic links created on the real file system; deleted on dispose.
/// </summary>
public sealed class TempWebRoot : IDisposable
{
    public TempWebRoot()
    {
        Base = Directory.CreateTempSubdirectory("epsilon-static-").FullName;
        Root = Directory.CreateDirectory(Path.Combine(Base, "root")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(Base, "outside")).FullName;
    }

    public string Base { get; }

    public string Root { get; }

    public string Outside { get; }

    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public string Write(string relative, byte[] content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string WriteOutside(string relative, string content)
    {
        var path = Path.Combine(Outside, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Link(string relative, string target)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Directory.Exists(target)) Directory.CreateSymbolicLink(path, target);
        else File.CreateSymbolicLink(path, target);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a stream under test; the OS temp cleaner takes it.
        }
    }
}
