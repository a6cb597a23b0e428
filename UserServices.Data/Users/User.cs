using Microsoft.AspNetCore.Identity;

namespace UserServices.Data.Users;

/// <summary>An account. Integer ids keep the original service's contract (<c>"id": 1</c>) and its stored ids.</summary>
public class User : IdentityUser<int>
{
}
