using System.Diagnostics;
using System.Globalization;

namespace Epsilon.Actors.Bench.Macro;

/// <summary>
/// nginx as the HTTP scenarios' reference, started by the orchestrator (pinned to the server CPU
/// with <c>taskset</c>) with a configuration generated into a temporary directory: one process
/// (<c>master_process off</c>, so its PID's CPU time is the whole server's), access log off,
/// <c>sendfile on</c> and <c>tcp_nopush on</c> (Debian's stock settings), no limit on requests per
/// connection (nginx's default of 1,000 would reconnect where the other peers do not).
/// </summary>
internal sealed class NginxPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private NginxPeer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Pid => _process.Id;

    public int Port { get; }

    public static string Config(string directory, int port, string? staticRoot) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 4096; }
        http {
            access_log off;
            keepalive_requests 100000000;
            sendfile on;
            tcp_nopush on;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            server {
                listen 127.0.0.1:{{port}};
                location = /plaintext {
                    default_type text/plain;
                    charset utf-8;
                    return 200 "Hello, World!";
                }
                {{(staticRoot is null ? "" : $"location /static/ {{ alias {staticRoot}/; default_type application/octet-stream; }}")}}
            }
        }
        """;

    public static async Task<NginxPeer> StartAsync(bool pinned, string? staticRoot)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx"
            : throw new InvalidOperationException("nginx is not installed; the HTTP scenarios use it as the reference: apt-get install -y nginx-light");
        var directory = Directory.CreateTempSubdirectory("epsilon-bench-nginx-").FullName;
        var port = Harness.FreePort();
        var conf = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(conf, Config(directory, port, staticRoot));
        var info = new ProcessStartInfo { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        var arguments = new List<string>();
        if (pinned && File.Exists("/usr/bin/taskset"))
        {
            info.FileName = "/usr/bin/taskset";
            arguments.AddRange(["-c", Harness.ServerCpu.ToString(CultureInfo.InvariantCulture), nginx]);
        }
        else
        {
            info.FileName = nginx;
        }

        arguments.AddRange(["-p", directory + "/", "-c", conf, "-e", Path.Combine(directory, "error.log")]);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var peer = new NginxPeer(Process.Start(info) ?? throw new InvalidOperationException("could not start nginx"), directory, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (peer._process.HasExited)
            {
                var log = File.Exists(Path.Combine(directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "error.log")) : "";
                var code = peer._process.ExitCode;
                await peer.DisposeAsync();
                throw new InvalidOperationException($"nginx exited ({code}): {log.Trim()}");
            }

            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return peer;
            }
            catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
