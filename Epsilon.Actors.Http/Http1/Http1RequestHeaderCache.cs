using System.Text;
using Epsilon.Actors.Http.Model;

namespace Epsilon.Actors.Http.Http1;

/// <summary>
/// Turns the header fields and request target of one connection's requests into model objects,
/// reusing the previous request's strings and its whole <see cref="HttpHeaders"/> when the bytes
/// are the same: a client repeating a request on a kept-alive connection (a browser, a load
/// generator, a health check) then costs no string and no header array. Immutable model objects
/// make the reuse safe. One per connection; not thread-safe.
/// </summary>
internal sealed class Http1RequestHeaderCache
{
    private const int MaxRememberedBytes = 8 * 1024;

    private readonly List<HttpHeader> _fields = [];
    private byte[] _previousRaw = new byte[512];
    private int[] _previousEnds = new int[16];
    private int _previousCount;
    private byte[] _raw = new byte[512];
    private int[] _ends = new int[16];
    private int _rawLength;
    private int _count;
    private bool _sameAsPrevious;
    private bool _overflow;
    private HttpHeaders _previous = HttpHeaders.Empty;

    private byte[] _targetBytes = [];
    private string _target = "/";

    /// <summary>The target as a string; the previous request's string when the bytes are the same.</summary>
    public string Target(ReadOnlySpan<byte> target)
    {
        if (target.SequenceEqual(_targetBytes)) return _target;
        _target = Encoding.ASCII.GetString(target);
        _targetBytes = target.Length <= MaxRememberedBytes ? target.ToArray() : [];
        return _target;
    }

    /// <summary>Starts a request's header section.</summary>
    public void Begin()
    {
        _fields.Clear();
        _rawLength = 0;
        _count = 0;
        _sameAsPrevious = true;
        _overflow = false;
    }

    /// <summary>One field as received (name a token, value trimmed).</summary>
    public void Add(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var index = _count;
        var length = name.Length + 1 + value.Length;
        var remember = !_overflow && _rawLength + length <= MaxRememberedBytes;
        _overflow = !remember;
        var start = _rawLength;
        if (remember)
        {
            EnsureRaw(_rawLength + length);
            name.CopyTo(_raw.AsSpan(start));
            _raw[start + name.Length] = (byte)':';
            value.CopyTo(_raw.AsSpan(start + name.Length + 1));
            _rawLength += length;
            if (_ends.Length == index) Array.Resize(ref _ends, index * 2);
            _ends[index] = _rawLength;
        }

        _count++;
        if (_sameAsPrevious && remember && index < _previousCount)
        {
            var previousStart = index == 0 ? 0 : _previousEnds[index - 1];
            if (_raw.AsSpan(start, length).SequenceEqual(_previousRaw.AsSpan(previousStart, _previousEnds[index] - previousStart)))
            {
                _fields.Add(_previous[index]);
                return;
            }
        }

        _sameAsPrevious = false;
        var id = KnownHeaders.Lookup(name);
        var text = Encoding.Latin1.GetString(value);
        _fields.Add(id != KnownHeader.None ? new HttpHeader(id, text) : new HttpHeader(Encoding.Latin1.GetString(name), text));
    }

    /// <summary>The fields of the request; the previous request's instance when every field is the same.</summary>
    public HttpHeaders Complete()
    {
        if (_sameAsPrevious && !_overflow && _count == _previousCount) return _previous;
        var headers = _count == 0 ? HttpHeaders.Empty : HttpHeaders.Of(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_fields));
        if (!_overflow)
        {
            (_previousRaw, _raw) = (_raw, _previousRaw);
            (_previousEnds, _ends) = (_ends, _previousEnds);
            _previousCount = _count;
            _previous = headers;
        }
        else
        {
            _previousCount = 0;
            _previous = HttpHeaders.Empty;
        }

        return headers;
    }

    private void EnsureRaw(int size)
    {
        if (_raw.Length >= size) return;
        Array.Resize(ref _raw, Math.Max(size, _raw.Length * 2));
    }
}
