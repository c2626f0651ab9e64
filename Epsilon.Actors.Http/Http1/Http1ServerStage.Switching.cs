using Akka;
using Akka.Event;
using Akka.IO;
using Akka.Streams.Dsl;
using Epsilon.Actors.Http.Connections;
using Epsilon.Actors.Http.Http1.Rendering;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Http1;

internal sealed partial class Http1ServerStage
{
    /// <summary>
    /// Which responses may be written (the machine's verdict; refused ones become a logged 500),
    /// and switching protocols (RFC 9110 §7.8, §15.2.2): a handler's <c>HttpResponse.Upgrade</c>,
    /// or a protocol of the server's own that claims the request's <c>Upgrade</c> token. The 101
    /// is written, then the connection is handed to the new protocol's flow, bytes read after the
    /// request's head first.
    /// </summary>
    private sealed partial class Logic
    {
        private HttpHeaders _requestHeaders = HttpHeaders.Empty;
        private HttpResponse? _deferredHead;
        private Flow<ByteString, ByteString, NotUsed>? _upgradeFlow;
        private ConnectionControl? _upgradedControl;

        /// <summary>The machine's verdict on the application's response: anything it refuses becomes a logged 500.</summary>
        private HttpResponse Checked(HttpResponse? response)
        {
            if (response is null)
            {
                Log.Warning("HTTP handler answered {0} {1} with null; sending 500 instead", _method.Name, _target);
                return HttpResponse.StatusText(StatusCode.InternalServerError);
            }

            var offered = response.UpgradeProtocol is { } protocol && Http1HeaderTokens.Contains(_requestHeaders.Get(KnownHeader.Upgrade), protocol);
            var verdict = _machine.CheckResponse(_sequence, response.StatusCode.Code, response.UpgradeFlow is not null, offered);
            if (verdict == Http1ResponseVerdict.Accept) return response;
            Log.Warning("HTTP handler answered {0} {1} with {2}, which cannot be sent ({3}); sending 500 instead", _method.Name, _target, response.StatusCode, Describe(verdict));
            return HttpResponse.StatusText(StatusCode.InternalServerError);
        }

        private static string Describe(Http1ResponseVerdict verdict) => verdict switch
        {
            Http1ResponseVerdict.RefuseInterim => "the server sends 100 Continue itself and no other interim response",
            Http1ResponseVerdict.RefuseUpgradeWithoutFlow => "only HttpResponse.Upgrade(protocol, flow) answers 101",
            Http1ResponseVerdict.RefuseUnrequestedUpgrade => "the request did not ask to upgrade to that protocol (Upgrade and Connection: upgrade, HTTP/1.1)",
            _ => "the request body was not read completely",
        };

        /// <summary>The server's own protocol claiming the first token of the request's <c>Upgrade</c> it knows, or null.</summary>
        private ServerProtocol? ClaimedUpgrade(HttpHeaders headers)
        {
            var connection = _stage._connection;
            if (connection.Protocols.Count == 0) return null;
            var token = Http1HeaderTokens.First(headers.Get(KnownHeader.Upgrade), t => connection.ClaimingUpgrade(t) is not null);
            return token is null ? null : connection.ClaimingUpgrade(token);
        }

        /// <summary>The connection as the claimed protocol sees it: termination reaches it through this stage.</summary>
        private ServerConnection UpgradedConnection()
        {
            _upgradedControl = new ConnectionControl();
            return _stage._connection with { Registry = _upgradedControl };
        }

        /// <summary>Writes <c>101 Switching Protocols</c> to <paramref name="protocol"/> with <paramref name="headers"/>; the flow takes over once it is written.</summary>
        private void SwitchProtocols(string protocol, HttpHeaders headers, Flow<ByteString, ByteString, NotUsed> flow)
        {
            var plan = _machine.OnResponseStart(_sequence, 101, -1, false, Now);
            _writer.ResetWrittenCount();
            try
            {
                Http1ResponseWriter.WriteResponseHead(_writer, plan);
                Http1ResponseWriter.WriteField(_writer, "Upgrade", protocol);
                if (_settings.AddDateHeader && !headers.Contains(KnownHeader.Date)) Http1ResponseWriter.WriteDate(_writer, _date, DateTimeOffset.UtcNow);
                if (_settings.ServerHeader is { } server && !headers.Contains(KnownHeader.Server)) Http1ResponseWriter.WriteField(_writer, "Server", server);
                foreach (var header in headers)
                {
                    // The switch owns Connection and Upgrade; a 101 has no content.
                    if (header.Id is KnownHeader.Connection or KnownHeader.Upgrade or KnownHeader.ContentLength or KnownHeader.TransferEncoding or KnownHeader.ContentType) continue;
                    Http1ResponseWriter.WriteField(_writer, header.Name, header.Value);
                }
            }
            catch (ArgumentException e)
            {
                Log.Warning("HTTP 101 to {0} {1} has a header that cannot be written ({2}); closing the connection", _method.Name, _target, e.Message);
                _writer.ResetWrittenCount();
                FailStage(e);
                return;
            }

            Http1ResponseWriter.EndHead(_writer);
            WriteWriter();
            _upgradeFlow = flow;
            ResponseDone();
        }

        /// <summary>The 101 is rendered: the connection's bytes now belong to the upgrade's flow.</summary>
        private void HandOverUpgrade()
        {
            var flow = _upgradeFlow!;
            _upgradeFlow = null;
            CancelTimer(CheckTimer);
            _timerScheduled = false;
            var unwritten = ByteString.Empty;
            while (_outQueue.TryDequeue(out var queued)) unwritten = unwritten.Concat(queued);
            var unread = Buffered > 0 ? ByteString.CopyFrom(_buffer, _start, Buffered) : ByteString.Empty;
            ReleaseBuffer();
            Log.Debug("HTTP connection from {0} switched protocols after {1} {2} ({3} bytes already read go to the new protocol)", Remote, _method.Name, _target, unread.Count);
            HandOver(flow, unread, unwritten);
        }
    }
}
