using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace UserServices.Api.Passwords;

/// <summary>
/// The system's libxcrypt (<c>libcrypt.so.1</c>, on every current glibc distribution): C code like the Python
/// service's bcrypt, about a quarter faster than the managed implementation at the same cost. Inputs where C and the
/// reference may disagree go to the managed implementation: a password with a NUL (a C string ends there), a
/// <c>$2a$</c> hash of a non-ASCII password (libxcrypt's countermeasure for the old sign-extension bug may change
/// some of those; none of 2,000 generated ones differed, but a login is no place to find the first), and a string
/// with a lone surrogate (which the UTF-8 marshaller would quietly turn into U+FFFD, and the reference refuses).
/// </summary>
public sealed partial class NativeBcrypt : IBcrypt
{
    private const string Library = "libcrypt.so.1";

    // sizeof(struct crypt_data) in libxcrypt: the reentrant call's whole working state, one per thread.
    private const int CryptDataSize = 32768;
    private const int SettingSize = 64;

    [ThreadStatic]
    private static byte[]? _scratch;

    private readonly ManagedBcrypt _reference = new();

    public string Name => "native (libxcrypt)";

    /// <summary>Whether the library can be loaded here at all; checking the vectors is the caller's next step.</summary>
    public static bool IsAvailable()
    {
        if (!NativeLibrary.TryLoad(Library, out var handle))
        {
            return false;
        }

        var found = NativeLibrary.TryGetExport(handle, "crypt_rn", out _) && NativeLibrary.TryGetExport(handle, "crypt_gensalt_rn", out _);
        NativeLibrary.Free(handle);
        return found;
    }

    public string Hash(string password, int workFactor)
    {
        var setting = new byte[SettingSize];
        var random = RandomNumberGenerator.GetBytes(16);
        if (crypt_gensalt_rn("$2b$", (nuint)workFactor, random, random.Length, setting, setting.Length) == IntPtr.Zero)
        {
            throw new CryptographicException($"libxcrypt refused bcrypt cost {workFactor}.");
        }

        return Compute(password, Encoding.ASCII.GetString(setting, 0, Array.IndexOf(setting, (byte)0)))
            ?? throw new CryptographicException("libxcrypt could not hash with a setting it made itself.");
    }

    public string? Compute(string password, string setting)
    {
        if (password.Contains('\0', StringComparison.Ordinal) || setting.Contains('\0', StringComparison.Ordinal)
            || (setting.StartsWith("$2a$", StringComparison.Ordinal) && !Ascii.IsValid(password))
            || !IsWellFormed(password))
        {
            return _reference.Compute(password, setting);
        }

        var scratch = _scratch ??= new byte[CryptDataSize];
        try
        {
            // The result is written to the start of the buffer (crypt_data.output); the returned pointer into it is
            // only looked at for failure, because the buffer is unpinned once the call returns.
            return crypt_rn(password, setting, scratch, scratch.Length) == IntPtr.Zero
                ? null
                : Encoding.ASCII.GetString(scratch, 0, Array.IndexOf(scratch, (byte)0));
        }
        finally
        {
            // The buffer held the password and the key schedule derived from it.
            CryptographicOperations.ZeroMemory(scratch);
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr crypt_rn(string phrase, string setting, [Out] byte[] data, int size);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr crypt_gensalt_rn(string prefix, nuint count, byte[] randomBytes, int randomLength, [Out] byte[] output, int outputSize);
}
