-- 0015: a run is charged what it ran (docs/fair-share.md, "The ledger on PostgreSQL").
--
-- usage_charge.used_hours is the accelerator-hours a run used when it ended (its executor's run hours
-- times its accelerators, from its start, not its admission), NULL while it runs or when it ended
-- before this column existed. Usage counts the smaller of hours (the estimate charged on admission)
-- and used_hours, so a run reclaimed, cancelled or ended early is not charged time it never had.
-- It is written with the release, and the first release wins for both columns.

ALTER TABLE usage_charge ADD COLUMN used_hours double precision;
