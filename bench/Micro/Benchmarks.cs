using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using UserServices.Api.Passwords;
using UserServices.Api.Tokens;
using UserServices.Data.Users;

namespace Micro;

/// <summary>The CPU cost of a login's token and of each bearer request's token check, HS256 as configured by default.</summary>
[MemoryDiagnoser]
public class TokenBenchmarks
{
    private readonly JsonWebTokenHandler _handler = new();
    private TokenIssuer _issuer = null!;
    private TokenValidationParameters _parameters = null!;
    private User _user = null!;
    private string _token = "";

    [GlobalSetup]
    public async Task Setup()
    {
        var jwt = new JwtOptions { SecretKey = new string('k', 64) };
        var keys = new SigningKeys(Options.Create(jwt));
        _issuer = new TokenIssuer(keys, Options.Create(jwt), TimeProvider.System);
        _parameters = BearerAuthentication.ValidationParameters(keys, jwt);
        _user = new User { Id = 42, UserName = "alice", Email = "alice@example.com", SecurityStamp = Guid.NewGuid().ToString() };
        _token = _issuer.Issue(_user, [], Guid.NewGuid()).AccessToken;
        var result = await _handler.ValidateTokenAsync(_token, _parameters);
        if (!result.IsValid)
        {
            throw new InvalidOperationException("The minted token does not validate.", result.Exception);
        }
    }

    [Benchmark(Description = "TokenIssuer.Issue (mint)")]
    public string Mint() => _issuer.Issue(_user, [], Guid.Empty).AccessToken;

    [Benchmark(Description = "JsonWebTokenHandler.ValidateTokenAsync (validate)")]
    public async Task<bool> Validate() => (await _handler.ValidateTokenAsync(_token, _parameters)).IsValid;
}

/// <summary>
/// One bcrypt verification through the service's hasher, with each implementation: what each login costs on one
/// core, native (libxcrypt, the default where present) against managed (BCrypt.Net-Next, the fallback).
/// </summary>
[MemoryDiagnoser]
public class PasswordBenchmarks
{
    private const string Password = "correct horse battery staple 42";
    private BcryptPasswordHasher _hasher = null!;
    private string _hash = "";
    private readonly User _user = new() { UserName = "alice" };

    [Params(4, 12)]
    public int WorkFactor { get; set; }

    [Params("native", "managed")]
    public string Backend { get; set; } = "native";

    [GlobalSetup]
    public void Setup()
    {
        IBcrypt bcrypt = Backend == "native" ? new NativeBcrypt() : new ManagedBcrypt();
        _hasher = new BcryptPasswordHasher(bcrypt, Options.Create(new PasswordHashingOptions { WorkFactor = WorkFactor }));
        _hash = _hasher.HashPassword(_user, Password);
    }

    [Benchmark(Description = "BcryptPasswordHasher.VerifyHashedPassword")]
    public PasswordVerificationResult Verify() => _hasher.VerifyHashedPassword(_user, _hash, Password);
}
