using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace UserServices.Api.Admin;

[ApiController]
[Route("admin/users/email-collisions")]
[Tags("Admin")]
[Authorize(Policy = CurrentAdminRequirement.Policy)]
public sealed class AdminEmailCollisionsController(EmailCollisions collisions) : ControllerBase
{
    /// <summary>List accounts whose addresses turned out to be one mailbox.</summary>
    /// <remarks>
    /// Addresses are keyed by their domain's UTS #46 form, so <c>alice@ｅｘａｍｐｌｅ.com</c> and <c>alice@example.com</c>
    /// are one mailbox and cannot both register. Accounts that existed before that rule and collide under it were
    /// both kept; each pair is listed here until an admin changes the marked account's email or deletes one of them.
    /// </remarks>
    [HttpGet]
    [ProducesResponseType<List<EmailCollision>>(StatusCodes.Status200OK, "application/json")]
    public async Task<IActionResult> List(CancellationToken cancellationToken) => Ok(await collisions.ListAsync(cancellationToken));
}
