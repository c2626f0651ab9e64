using Epsilon.Actors.Tests.TestKit;

namespace Epsilon.Actors.Tests.Conformance.Proxies;

/// <summary>
/// nginx as a reverse proxy in front of a loopback upstream, run as the test's own process:
/// <c>daemon off</c>, <c>master_process off</c> (one process serves, so its PID is the whole
/// server), every path (pid, logs, temp files) inside its temporary directory.
/// </summary>
internal static class NginxProxy
{
    /// <summary>
    /// The configuration: HTTP/1.1 to the upstream with the client's <c>Connection</c> removed and
    /// an upstream keep-alive cache, so upstream connections are reused across requests and
    /// across client connections; request and response bodies streamed, not buffered, so a chunked
    /// upload reaches the upstream chunked and a response of unknown length is relayed as it comes.
    /// </summary>
    public static string Config(string directory, int port, int upstreamPort) => $$"""
        daemon off;
        master_process off;
        worker_processes 1;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path {{directory}}/client_body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            client_max_body_size 64m;
            upstream epsilon {
                server 127.0.0.1:{{upstreamPort}};
                keepalive 16;
                keepalive_requests 100000;
            }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://epsilon;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_request_buffering off;
                    proxy_buffering off;
                    proxy_read_timeout 20s;
                }
            }
        }
        """;

    /// <summary>Starts nginx (the <c>nginx</c> or <c>nginx-light</c> package) in front of <paramref name="upstreamPort"/>.</summary>
    public static Task<ExternalServerProcess> StartAsync(int upstreamPort)
    {
        var nginx = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : ExternalTool.Require("nginx", "nginx-light"); // sbin is not on every PATH
        return ExternalServerProcess.StartAsync("nginx", nginx, (directory, port) =>
        {
            var conf = Path.Combine(directory, "nginx.conf");
            File.WriteAllText(conf, Config(directory, port, upstreamPort));
            return ["-p", directory + "/", "-c", conf, "-e", Path.Combine(directory, "error.log")];
        }, TimeSpan.FromSeconds(15));
    }
}
