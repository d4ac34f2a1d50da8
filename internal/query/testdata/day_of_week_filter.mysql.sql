SELECT COUNT(*) AS `count` FROM `invoices` AS `source` WHERE (DAYOFWEEK(`source`.`date_received`) IN (?, ?))
-- args: [1,7]
