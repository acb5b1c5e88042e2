using System.CommandLine;
using Thalamus.Rpc;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus jwt --secret FILE</c>: prints a token for the admin endpoint, signed (HS256) with the
/// secret in FILE and issued now, so it is accepted for the next 60 seconds:
/// <c>curl -H "Authorization: Bearer $(thalamus jwt --secret jwtsecret)" ...</c>.
/// </summary>
public static class JwtCommand
{
    public static Command Create()
    {
        var secret = new Option<string>("--secret", "-s") { Description = "the node's JWT secret file (admin.jwtSecret in cluster.yaml)", Required = true };
        var command = new Command("jwt", "Print a JWT for the admin endpoint (HS256, valid for 60 seconds).");
        command.Options.Add(secret);
        command.SetAction(result =>
        {
            var path = result.GetValue(secret)!;
            byte[] key;
            try
            {
                key = JwtAuthenticator.ReadSecretFile(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
            {
                var reason = e is FileNotFoundException or DirectoryNotFoundException ? $"{path}: no such file" : e.Message;
                Console.Error.WriteLine("error: " + reason);
                return CliApplication.UsageExitCode;
            }
            Console.Out.WriteLine(JwtAuthenticator.CreateToken(key, TimeProvider.System.GetUtcNow()));
            return 0;
        });
        return command;
    }
}
