using System.Threading.Tasks;

namespace Zpd;

/// <summary>An open/closed flag a task can wait on: the output pump waits while a job's followers have no room.</summary>
internal sealed class Gate
{
    private readonly object _lock = new();
    private TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _open = true;

    public bool IsOpen
    {
        get { lock (_lock) return _open; }
    }

    public void Set(bool open)
    {
        TaskCompletionSource? release = null;
        lock (_lock)
        {
            if (open == _open)
                return;
            _open = open;
            if (open)
                release = _opened;
            else
                _opened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        release?.TrySetResult();
    }

    public Task WaitAsync()
    {
        lock (_lock)
            return _open ? Task.CompletedTask : _opened.Task;
    }
}
