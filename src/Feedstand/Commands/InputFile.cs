namespace Feedstand.Commands;

/// <summary>A command's input file, or standard input for <c>-</c>, read whole (<c>parse</c>, <c>check</c>).</summary>
internal static class InputFile
{
    /// <summary>False with a short reason ("file not found", the system's message) when it cannot be read.</summary>
    public static bool TryRead(string path, out byte[] bytes, out string error)
    {
        try
        {
            if (path == "-")
            {
                using var stdin = Console.OpenStandardInput();
                using var buffer = new MemoryStream();
                stdin.CopyTo(buffer);
                bytes = buffer.ToArray();
            }
            else
            {
                bytes = File.ReadAllBytes(path);
            }
            error = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            bytes = [];
            error = ex is FileNotFoundException or DirectoryNotFoundException ? "file not found" : ex.Message;
            return false;
        }
    }
}
