"""Print the kill rate of the last mutmut run (`make mutation`) and fail below the goal (95%).

Killed and timed-out mutants count as caught; survivors and mutants no test reaches ("no tests") as missed.
"""

import json
import subprocess
import sys
from pathlib import Path

GOAL = 95.0
STATS = Path("mutants/mutmut-cicd-stats.json")


def main() -> int:
    subprocess.run([Path(sys.executable).parent / "mutmut", "export-cicd-stats"], check=True)  # noqa: S603
    stats = json.loads(STATS.read_text(encoding="utf-8"))
    caught = stats["killed"] + stats["timeout"]
    missed = stats["survived"] + stats["no_tests"]
    judged = caught + missed
    rate = 100.0 * caught / judged if judged else 0.0
    print(  # noqa: T201
        f"mutants: {stats['total']}, killed {stats['killed']}, timeout {stats['timeout']}, "
        f"survived {stats['survived']}, no tests {stats['no_tests']}, skipped {stats['skipped']}, "
        f"suspicious {stats['suspicious']}: kill rate {rate:.1f}% (goal {GOAL:.0f}%)"
    )
    return 0 if rate >= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
