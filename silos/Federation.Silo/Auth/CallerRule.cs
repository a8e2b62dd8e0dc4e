using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Federation.Silo.Auth;

/// <summary>An authorization rule over the caller (and the request), whose <see cref="Description"/> the 403 answer names.</summary>
/// <param name="Description">The rule in a sentence, e.g. "catalogue writes need the nation-admin or operator role".</param>
/// <param name="Allows">Whether the caller (with the request, when there is one) meets the rule.</param>
public sealed record CallerRule(string Description, Func<ClaimsPrincipal, HttpContext?, bool> Allows) : IAuthorizationRequirement;
