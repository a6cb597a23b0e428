using System.Text;
using OtpNet;
using UserServices.Api.Mfa;
using UserServices.Tests.Infrastructure;

namespace UserServices.Tests.Mfa;

/// <summary>
/// RFC 6238 Appendix B's SHA-1 vectors (seed "12345678901234567890", 8 digits): the tests' own HMAC-SHA-1 computation
/// (<see cref="TestTotp"/>, used by every other MFA test), Otp.NET (the service's library) and the service's
/// acceptance window all agree with them.
/// </summary>
public sealed class TotpArithmeticTests
{
    private static readonly byte[] Seed = Encoding.ASCII.GetBytes("12345678901234567890");

    public static TheoryData<long, string> Vectors => new()
    {
        { 59, "94287082" },
        { 1111111109, "07081804" },
        { 1111111111, "14050471" },
        { 1234567890, "89005924" },
        { 2000000000, "69279037" },
        { 20000000000, "65353130" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_tests_own_computation_gives_the_RFC_6238_vectors(long unixTime, string expected) =>
        TestTotp.Code(Seed, unixTime / 30, digits: 8).ShouldBe(expected);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void OtpNet_gives_the_RFC_6238_vectors(long unixTime, string expected) =>
        new Totp(Seed, 30, OtpHashMode.Sha1, 8).ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(unixTime).UtcDateTime).ShouldBe(expected);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_service_accepts_the_six_digit_code_of_each_vector_at_its_step(long unixTime, string expected)
    {
        // RFC 4226 §5.3: a d-digit code is the truncated value mod 10^d, so the 6-digit code is the vector's last six digits.
        var at = DateTimeOffset.FromUnixTimeSeconds(unixTime);
        TotpCodes.MatchingStep(Seed, expected[2..], at).ShouldBe(unixTime / 30);
    }

    [Fact]
    public void One_step_either_side_is_accepted_and_two_are_not()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1234567890);
        var step = TestTotp.StepAt(now);
        foreach (var offset in new[] { -1, 0, 1 })
        {
            TotpCodes.MatchingStep(Seed, TestTotp.Code(Seed, step + offset), now).ShouldBe(step + offset);
        }

        foreach (var offset in new[] { -2, 2 })
        {
            TotpCodes.MatchingStep(Seed, TestTotp.Code(Seed, step + offset), now).ShouldBeNull();
        }
    }

    [Fact]
    public void Base32_secrets_and_the_otpauth_uri_are_as_authenticator_apps_read_them()
    {
        TotpCodes.Base32(Seed).ShouldBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        TestTotp.Base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").ShouldBe(Seed);
        TotpCodes.OtpAuthUri("User Services", "ann", Seed).ShouldBe(
            "otpauth://totp/User%20Services:ann?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=User%20Services&algorithm=SHA1&digits=6&period=30");
    }
}
