// SPDX-License-Identifier: GPL-3.0-or-later
#include "widgets/models/Worker.h"

#include <QMetaObject>

namespace offerscope::models {

void JobControl::progress(int percent, const QString& text) const
{
    if (m_worker == nullptr)
        return;
    // Queued to the worker object's thread; dropped with it if it is gone.
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, tag = m_tag, percent, text] { emit worker->progressed(tag, percent, text); },
        Qt::QueuedConnection);
}

Worker::Worker(QObject* parent)
    : QObject(parent)
    , m_thread([this] { loop(); })
{
}

Worker::~Worker()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stop = true;
        m_waiting.clear();
        if (m_running)
            m_running->m_cancelled = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void Worker::enqueue(const QString& tag, std::function<std::any(const JobControl&)> run, std::function<void(std::any)> done)
{
    auto control = std::make_shared<JobControl>();
    control->m_worker = this;
    control->m_tag = tag;
    {
        const std::lock_guard lock(m_mutex);
        // The newest request of a tag replaces one that has not started.
        for (auto it = m_waiting.begin(); it != m_waiting.end();)
            it = it->tag == tag ? m_waiting.erase(it) : it + 1;
        m_waiting.push_back({ tag, std::move(run), std::move(done), std::move(control) });
    }
    m_wake.notify_one();
}

void Worker::cancel(const QString& tag)
{
    const std::lock_guard lock(m_mutex);
    for (auto it = m_waiting.begin(); it != m_waiting.end();)
        it = it->tag == tag ? m_waiting.erase(it) : it + 1;
    if (m_running && m_runningTag == tag)
        m_running->m_cancelled = true;
    if (m_waiting.empty() && !m_running)
        m_idle.notify_all();
}

bool Worker::busy(const QString& tag) const
{
    const std::lock_guard lock(m_mutex);
    if (m_running && m_runningTag == tag)
        return true;
    for (const Job& job : m_waiting)
        if (job.tag == tag)
            return true;
    return false;
}

void Worker::waitForIdle()
{
    std::unique_lock lock(m_mutex);
    m_idle.wait(lock, [this] { return m_waiting.empty() && !m_running; });
}

void Worker::loop()
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stop || !m_waiting.empty(); });
            if (m_stop)
                return;
            job = std::move(m_waiting.front());
            m_waiting.pop_front();
            m_running = job.control;
            m_runningTag = job.tag;
        }
        QMetaObject::invokeMethod(this, [this, tag = job.tag] { emit running(tag, true); }, Qt::QueuedConnection);
        std::any result = job.run(*job.control);
        const bool cancelled = job.control->cancelled();
        // The result goes to this object's thread; a cancelled job's result is dropped there.
        QMetaObject::invokeMethod(
            this,
            [this, tag = job.tag, done = std::move(job.done), result = std::move(result), cancelled]() mutable {
                if (!cancelled)
                    done(std::move(result));
                emit running(tag, false);
            },
            Qt::QueuedConnection);
        {
            const std::lock_guard lock(m_mutex);
            m_running.reset();
            m_runningTag.clear();
            if (m_waiting.empty())
                m_idle.notify_all();
        }
    }
}

} // namespace offerscope::models
