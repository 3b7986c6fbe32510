-- Command side: how many bank accounts each account holds, raised by the claim that adds one, under the account's
-- row lock. The per-account limit is then checked by reading one row, where counting the registry's rows cost more
-- with every bank account the account held.
CREATE TABLE bank_account_holdings (
    account_id    VARCHAR(32) NOT NULL PRIMARY KEY,
    bank_accounts INTEGER     NOT NULL
);
INSERT INTO bank_account_holdings (account_id, bank_accounts)
SELECT account_id, COUNT(*) FROM bank_account_registry GROUP BY account_id;
