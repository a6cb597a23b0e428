using UserServices.Api.Users;

namespace UserServices.Tests.Users;

/// <summary>MVC logs action arguments at Trace level by their ToString: request records must not print passwords.</summary>
public sealed class RequestPrintingTests
{
    [Fact]
    public void A_registration_prints_without_its_password()
    {
        var printed = new RegisterRequest("alice", "alice@example.com", "hunter2 but longer").ToString();

        printed.ShouldBe("RegisterRequest { Username = alice, Email = alice@example.com, Password = (redacted) }");
    }

    [Fact]
    public void A_password_change_prints_without_either_password()
    {
        var printed = new ChangePasswordRequest("old secret value", "new secret value").ToString();

        printed.ShouldBe("ChangePasswordRequest { CurrentPassword = (redacted), NewPassword = (redacted) }");
    }
}
