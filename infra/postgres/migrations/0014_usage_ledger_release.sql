-- 0014: released runs and pruning in the usage ledger (issue 18; docs/fair-share.md).
--
-- usage_charge.released_at is when a run ended and gave its accelerators back (any ending: succeeded,
-- failed, cancelled, given back), NULL while it runs. The first release wins (UPDATE ... SET
-- released_at = COALESCE(released_at, @at)), so a release delivered twice changes nothing. A released
-- run is no longer counted as held after a restart; its charge stays as made on admission. Old rows
-- are deleted by the silo (charged and reported more than 10 half-lives ago, under 0.1 % of their
-- weight; each nation's latest report is kept, its sequence is the replay fence): the indexes serve
-- those deletes.

ALTER TABLE usage_charge ADD COLUMN released_at timestamptz;

CREATE INDEX usage_charge_charged_at ON usage_charge (charged_at);

CREATE INDEX usage_report_period_to ON usage_report (period_to);
