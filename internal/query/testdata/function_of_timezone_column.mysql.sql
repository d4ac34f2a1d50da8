SELECT HOUR(`source`.`sent_at`) AS `H`, DATE_ADD(`source`.`sent_at`, INTERVAL CAST(? AS SIGNED) HOUR) AS `Later` FROM `invoices` AS `source` LIMIT ?
-- args: [3,3]
