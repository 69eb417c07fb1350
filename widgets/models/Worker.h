// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

#include <any>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace offerscope::models {

/// What a job sees of its request: whether it was cancelled, and a way to say how far it got.
class JobControl {
public:
    bool cancelled() const { return m_cancelled.load(std::memory_order_relaxed); }
    /// 0..100 and a sentence; the window shows it (at most a few times a second are worth it).
    void progress(int percent, const QString& text) const;

private:
    friend class Worker;
    std::atomic<bool> m_cancelled { false };
    class Worker* m_worker = nullptr;
    QString m_tag;
};

/// The one thread that does the window's slow work (live readings, opening and discovering live
/// sources, probe runs): the GUI thread never waits on I/O. A request carries a tag; a request whose
/// tag is still waiting replaces it, so repeated requests collapse to the newest. The result comes
/// back on the GUI thread, by a queued call, as a value the job no longer touches.
class Worker final : public QObject {
    Q_OBJECT
public:
    explicit Worker(QObject* parent = nullptr);
    /// Cancels what waits, lets the running job finish, and stops the thread.
    ~Worker() override;

    /// Runs `job` on the worker thread and then `done` with its result on this object's thread (not
    /// when the job was cancelled). A request of the same tag that has not started is dropped.
    template <class T>
    void request(const QString& tag, std::function<T(const JobControl&)> job, std::function<void(T)> done)
    {
        enqueue(tag,
            [job = std::move(job)](const JobControl& control) -> std::any {
                return std::make_shared<T>(job(control));
            },
            [done = std::move(done)](std::any result) { done(std::move(*std::any_cast<std::shared_ptr<T>>(result))); });
    }
    /// Cancels the waiting and the running request of a tag (a running job sees cancelled()).
    void cancel(const QString& tag);
    /// Whether a request of the tag waits or runs.
    bool busy(const QString& tag) const;
    /// Waits until nothing waits or runs (closing a source whose jobs use it).
    void waitForIdle();

signals:
    /// A job said how far it got (queued: on this object's thread).
    void progressed(const QString& tag, int percent, const QString& text);
    /// A job of the tag started (true) or ended (false): the window shows it is busy.
    void running(const QString& tag, bool running);

private:
    friend class JobControl;
    struct Job {
        QString tag;
        std::function<std::any(const JobControl&)> run;
        std::function<void(std::any)> done;
        std::shared_ptr<JobControl> control;
    };
    void enqueue(const QString& tag, std::function<std::any(const JobControl&)> run, std::function<void(std::any)> done);
    void loop();

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Job> m_waiting;
    std::shared_ptr<JobControl> m_running; ///< control of the job running, if any
    QString m_runningTag;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace offerscope::models
