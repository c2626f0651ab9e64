using Epsilon.Actors.Http.Http2.Priority;
using Xunit;

namespace Epsilon.Actors.Tests.Http.Http2.Priority;

[Trait("Category", "Unit")]
public sealed class Http2PrioritySchedulerTests
{
    private static List<int> Take(Http2PriorityScheduler scheduler, int count)
    {
        var order = new List<int>();
        for (var i = 0; i < count && scheduler.TryNext(out var id); i++) order.Add(id);
        return order;
    }

    [Fact]
    public void Serves_the_lowest_urgency_first()
    {
        var scheduler = new Http2PriorityScheduler();
        scheduler.SetReady(1, new Http2StreamPriority(5, false));
        scheduler.SetReady(3, new Http2StreamPriority(0, false));
        scheduler.SetReady(5, Http2StreamPriority.Default);
        Assert.Equal([3, 3], Take(scheduler, 2));
        scheduler.Remove(3);
        Assert.Equal([5], Take(scheduler, 1));
        scheduler.Remove(5);
        Assert.Equal([1], Take(scheduler, 1));
    }

    [Fact]
    public void Serves_non_incremental_streams_of_one_urgency_one_at_a_time_in_stream_order()
    {
        var scheduler = new Http2PriorityScheduler();
        scheduler.SetReady(7, Http2StreamPriority.Default);
        scheduler.SetReady(3, Http2StreamPriority.Default);
        scheduler.SetReady(5, Http2StreamPriority.Default);
        Assert.Equal([3, 3, 3], Take(scheduler, 3));
        scheduler.Remove(3);
        Assert.Equal([5, 5], Take(scheduler, 2));
    }

    [Fact]
    public void Interleaves_incremental_streams_round_robin_after_the_non_incremental_ones()
    {
        var scheduler = new Http2PriorityScheduler();
        scheduler.SetReady(1, new Http2StreamPriority(3, true));
        scheduler.SetReady(3, new Http2StreamPriority(3, true));
        scheduler.SetReady(5, new Http2StreamPriority(3, true));
        scheduler.SetReady(9, Http2StreamPriority.Default);
        Assert.Equal([9], Take(scheduler, 1));
        scheduler.Remove(9);
        Assert.Equal([1, 3, 5, 1, 3, 5, 1], Take(scheduler, 7));
        scheduler.Remove(3);
        Assert.Equal([5, 1, 5], Take(scheduler, 3));
    }

    [Fact]
    public void A_priority_update_moves_a_ready_stream_and_ignores_one_not_ready()
    {
        var scheduler = new Http2PriorityScheduler();
        scheduler.SetReady(1, Http2StreamPriority.Default);
        scheduler.SetReady(3, Http2StreamPriority.Default);
        scheduler.Reprioritize(3, new Http2StreamPriority(0, false));
        Assert.Equal([3], Take(scheduler, 1));
        scheduler.Reprioritize(11, new Http2StreamPriority(0, false));
        Assert.Equal(2, scheduler.Count);
        scheduler.Remove(3);
        scheduler.Remove(1);
        Assert.False(scheduler.TryNext(out _));
        Assert.Equal(0, scheduler.Count);
    }
}
