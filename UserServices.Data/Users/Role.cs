using Microsoft.AspNetCore.Identity;

namespace UserServices.Data.Users;

public class Role : IdentityRole<int>
{
    public const string Admin = "admin";
    public const string Member = "user";
}
