package store

// Every PostgreSQL advisory lock the app takes, in one list, so no two
// uses share a key: a job that held the writers' key and then wrote
// figures once waited for itself forever, and every writer with it
// (TestLockKeysDistinct). Keys are arbitrary; 7261 prefixes them so they
// do not meet another application's on a shared server.
const (
	// lockMigrations: several app servers may start at once; one
	// migrates, the others wait (transaction-scoped).
	lockMigrations int64 = 7261001
	// lockWrites serialises the kernel's write transactions (WithTx),
	// which read the stored figures they replace (transaction-scoped).
	lockWrites int64 = 7261002
	// Background jobs, each held by the server running it, for as long
	// as it runs (session-scoped; see RunJob).
	lockJobDueCounts int64 = 7261003
	lockJobCleanup   int64 = 7261004
	// lockJobCaseOverdue: casework's overdue job (7261050–59 are casework's).
	lockJobCaseOverdue int64 = 7261050
	// lockJobNotifyMail: the job that e-mails notices (package notify).
	lockJobNotifyMail int64 = 7261080
	// lockJobEvals: the job that builds the kept target evaluations
	// (KeepEvals); 7261030–39 are the kept evaluations'.
	lockJobEvals int64 = 7261030
)

// advisoryLocks names every key, for the test that they are distinct and
// for the jobs that look theirs up.
var advisoryLocks = map[string]int64{
	"migrations":       lockMigrations,
	"writes":           lockWrites,
	"job:due-counts":   lockJobDueCounts,
	"job:cleanup":      lockJobCleanup,
	"job:case-overdue": lockJobCaseOverdue,
	"job:notify-mail":  lockJobNotifyMail,
	"job:evals":        lockJobEvals,
}
