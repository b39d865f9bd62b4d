using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Zproto.Runtime.Zmq;

namespace Zproto.Vtx;

/// <summary>
/// The VTX manager (the C API's <c>vtx_t</c>): registers drivers by scheme, creates application
/// sockets and binds or connects them through the driver their endpoint's scheme names (§5.2).
/// </summary>
/// <remarks>
/// A socket from <see cref="CreateSocket"/> is an ordinary <see cref="ZmqSocket"/> (a DEALER) that the
/// application sends and receives on as usual; the emulated type only tells the driver how to route.
/// Call the manager from the thread that owns the sockets, as with any ZeroMQ socket.
/// </remarks>
public sealed class VtxManager : IDisposable
{
    /// <summary>The default of <see cref="Linger"/>.</summary>
    public static readonly TimeSpan DefaultLinger = TimeSpan.FromSeconds(1);

    /// <summary>Beyond the linger, how long <see cref="Dispose"/> waits for a driver's own close before it stops the driver anyway.</summary>
    private static readonly TimeSpan s_closeGrace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, VtxDriver> _drivers = new(StringComparer.Ordinal);
    private readonly Dictionary<ZmqSocket, SocketRecord> _sockets = new(ReferenceEqualityComparer.Instance);
    private readonly bool _ownsContext;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private int _nextId; // a vocket id is unique per driver, and each manager has its own drivers
    private TimeSpan _linger = DefaultLinger;
    private bool _disposed;

    /// <summary>Creates a manager; <paramref name="context"/> null means it creates and owns one.</summary>
    public VtxManager(ZmqContext? context = null, ILoggerFactory? loggerFactory = null)
    {
        ZmqLibrary.EnsureAvailable();
        _ownsContext = context is null;
        Context = context ?? new ZmqContext();
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<VtxManager>();
    }

    /// <summary>The context the application sockets and the drivers share (inproc needs one context).</summary>
    public ZmqContext Context { get; }

    /// <summary>
    /// How long a closed socket keeps sending what the application sent before the close, as
    /// <c>ZMQ_LINGER</c> (docs/vtx.md, "Closing and linger"): <see cref="Close(ZmqSocket)"/> lets it go on in the
    /// driver, <see cref="Dispose"/> waits for it. Zero drops whatever has not left at the close.
    /// Default <see cref="DefaultLinger"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan Linger
    {
        get => _linger;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            _linger = value;
        }
    }

    /// <summary>
    /// Registers a driver and starts its thread (<c>vtx_register</c>).
    /// <paramref name="create"/> receives the manager's context and a logger factory.
    /// </summary>
    /// <exception cref="VtxDuplicateSchemeException">A driver for the same scheme is registered.</exception>
    public TDriver Register<TDriver>(Func<ZmqContext, ILoggerFactory, TDriver> create)
        where TDriver : VtxDriver
    {
        ArgumentNullException.ThrowIfNull(create);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var driver = create(Context, _loggerFactory);
        if (_drivers.ContainsKey(driver.Scheme))
        {
            driver.Dispose(); // never started: this only marks it disposed
            throw new VtxDuplicateSchemeException(driver.Scheme);
        }
        driver.Start();
        _drivers.Add(driver.Scheme, driver);
        return driver;
    }

    /// <summary>The driver registered for <paramref name="scheme"/>, or null.</summary>
    public VtxDriver? GetDriver(string scheme) => _drivers.GetValueOrDefault(scheme);

    /// <summary>
    /// Creates an application socket emulating <paramref name="type"/> (<c>vtx_socket</c>). It is a
    /// DEALER; it reaches a driver at its first <see cref="Bind"/> or <see cref="Connect"/>.
    /// </summary>
    public ZmqSocket CreateSocket(VtxSocketType type)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int id = Interlocked.Increment(ref _nextId);
        var socket = new ZmqSocket(Context, ZmqSocketType.Dealer) { Linger = TimeSpan.Zero };
        socket.RoutingId = VtxDriver.RoutingId(id);
        _sockets.Add(socket, new SocketRecord(id, type));
        return socket;
    }

    /// <summary>The emulated type of <paramref name="socket"/>.</summary>
    /// <exception cref="VtxForeignSocketException">The socket is not from this manager.</exception>
    public VtxSocketType GetSocketType(ZmqSocket socket) => Record(socket).Type;

    /// <summary>Binds <paramref name="socket"/> to <paramref name="endpoint"/> (<c>vtx_bind</c>); returns the bound endpoint (with the real port when 0 was asked).</summary>
    /// <exception cref="VtxInvalidEndpointException">No <c>://</c>, or an address the driver cannot parse.</exception>
    /// <exception cref="VtxUnknownSchemeException">No driver for the scheme.</exception>
    /// <exception cref="VtxForeignSocketException">The socket is not from this manager.</exception>
    /// <exception cref="VtxDriverMismatchException">The socket uses another driver.</exception>
    /// <exception cref="VtxDriverException">The driver could not bind.</exception>
    public string Bind(ZmqSocket socket, string endpoint)
    {
        var (driver, record, parsed) = Attach(socket, endpoint);
        return Call(driver, () => driver.Bind(record.Id, parsed.Address));
    }

    /// <summary>Connects <paramref name="socket"/> to <paramref name="endpoint"/> (<c>vtx_connect</c>).</summary>
    /// <exception cref="VtxInvalidEndpointException">No <c>://</c>, or an address the driver cannot parse.</exception>
    /// <exception cref="VtxUnknownSchemeException">No driver for the scheme.</exception>
    /// <exception cref="VtxForeignSocketException">The socket is not from this manager.</exception>
    /// <exception cref="VtxDriverMismatchException">The socket uses another driver.</exception>
    /// <exception cref="VtxDriverException">The socket has its maximum of peerings.</exception>
    public void Connect(ZmqSocket socket, string endpoint)
    {
        var (driver, record, parsed) = Attach(socket, endpoint);
        Call(driver, () =>
        {
            driver.Connect(record.Id, parsed.Address);
            return 0;
        });
    }

    /// <summary>
    /// A property of the last message received on <paramref name="socket"/> (<c>vtx_getmeta</c>):
    /// <c>"sender"</c> is the sender's IP address without the port. Null for any other name, or
    /// before the socket received anything.
    /// </summary>
    /// <exception cref="VtxForeignSocketException">The socket is not from this manager.</exception>
    public string? GetMeta(ZmqSocket socket, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var record = Record(socket);
        return record.Driver is { } driver ? Call(driver, () => driver.GetMeta(record.Id, name)) : null;
    }

    /// <summary>
    /// Subscribes a SUB socket to messages whose first frame starts with <paramref name="prefix"/>
    /// (empty: everything). The application socket is a DEALER, so the driver filters on receipt.
    /// </summary>
    /// <exception cref="VtxForeignSocketException">The socket is not from this manager.</exception>
    /// <exception cref="InvalidOperationException">The socket is not a SUB, or is not bound or connected yet.</exception>
    public void Subscribe(ZmqSocket socket, ReadOnlySpan<byte> prefix)
    {
        var record = Record(socket);
        if (record.Type != VtxSocketType.Sub)
            throw new InvalidOperationException($"Only a SUB socket subscribes; this one is {record.Type}");
        var driver = record.Driver ?? throw new InvalidOperationException("Bind or connect the socket before subscribing");
        byte[] copy = prefix.ToArray();
        Call(driver, () =>
        {
            driver.Subscribe(record.Id, copy);
            return 0;
        });
    }

    /// <summary>Subscribes a SUB socket to a UTF-8 prefix.</summary>
    public void Subscribe(ZmqSocket socket, string prefix) => Subscribe(socket, Encoding.UTF8.GetBytes(prefix));

    /// <summary>
    /// Disposes <paramref name="socket"/> and closes its emulated socket in the driver (<c>vtx_close</c>).
    /// Returns at once; what the socket sent before still leaves within <see cref="Linger"/>.
    /// </summary>
    /// <exception cref="VtxForeignSocketException">The socket is not from this manager.</exception>
    public void Close(ZmqSocket socket) => Close(socket, _linger);

    /// <summary>As <see cref="Close(ZmqSocket)"/>, with this socket's own linger (zero: drop what has not left).</summary>
    /// <exception cref="VtxForeignSocketException">The socket is not from this manager.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="linger"/> is negative.</exception>
    public void Close(ZmqSocket socket, TimeSpan linger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(linger, TimeSpan.Zero);
        var record = Record(socket);
        _sockets.Remove(socket);
        // Its messages are in the inproc pipe to the driver, which reads them before it closes the vocket.
        socket.Dispose();
        if (record.Driver is { } driver)
        {
            Call(driver, () =>
            {
                driver.CloseLingering(record.Id, linger);
                return 0;
            });
        }
    }

    /// <summary>
    /// Closes every socket, waits up to <see cref="Linger"/> for what they sent to leave, then stops each
    /// driver and waits for it (<c>vtx_destroy</c>).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        var vockets = new Dictionary<VtxDriver, List<int>>();
        foreach (var (socket, record) in _sockets)
        {
            // Its messages are in the inproc pipe to the driver, which reads them before it closes the vocket.
            socket.Dispose();
            if (record.Driver is { } driver)
                (vockets.TryGetValue(driver, out var ids) ? ids : vockets[driver] = []).Add(record.Id);
        }
        _sockets.Clear();
        var closing = new List<Task>(_drivers.Count);
        foreach (var driver in _drivers.Values)
            closing.Add(driver.CloseAllAsync(vockets.GetValueOrDefault(driver) ?? [], _linger));
        try
        {
            // Each driver ends its own linger on time; the grace only guards against a driver that hangs.
            if (!Task.WaitAll([.. closing], _linger + s_closeGrace))
                _logger.LogWarning("W: a driver did not close its sockets within the linger; stopping it anyway");
        }
        catch (AggregateException e)
        {
            _logger.LogError(e, "E: a driver failed while closing its sockets; stopping it anyway");
        }
        foreach (var driver in _drivers.Values)
            driver.Dispose();
        _drivers.Clear();
        if (_ownsContext)
            Context.Dispose();
    }

    private SocketRecord Record(ZmqSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _sockets.TryGetValue(socket, out var record) ? record : throw new VtxForeignSocketException();
    }

    private (VtxDriver Driver, SocketRecord Record, VtxEndpoint Endpoint) Attach(ZmqSocket socket, string endpoint)
    {
        var parsed = VtxEndpoint.Parse(endpoint);
        var driver = _drivers.GetValueOrDefault(parsed.Scheme) ?? throw new VtxUnknownSchemeException(parsed.Scheme);
        var record = Record(socket);
        if (record.Driver is null)
        {
            Call(driver, () =>
            {
                driver.OpenVocket(record.Id, record.Type);
                return 0;
            });
            socket.Connect(driver.DataEndpoint);
            record.Driver = driver;
        }
        else if (record.Driver != driver)
        {
            throw new VtxDriverMismatchException(record.Driver.Scheme, driver.Scheme);
        }
        return (driver, record, parsed);
    }

    /// <summary>Runs a control command on the driver's thread and waits for its result or exception.</summary>
    private static T Call<T>(VtxDriver driver, Func<T> command) => driver.Invoke(command).GetAwaiter().GetResult();

    private sealed class SocketRecord(int id, VtxSocketType type)
    {
        public int Id { get; } = id;

        public VtxSocketType Type { get; } = type;

        public VtxDriver? Driver { get; set; }
    }
}
