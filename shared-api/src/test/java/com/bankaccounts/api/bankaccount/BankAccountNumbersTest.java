package com.bankaccounts.api.bankaccount;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected answers come from shared/nz-bank-account-numbers.md; the numbers for algorithms B, E and F were worked
 * out by hand from its weight table, not taken from the code under test.
 */
class BankAccountNumbersTest {

    @Nested
    class Canonical {

        @Test
        void keepsTheDashedFormAsItIs() {
            assertThat(BankAccountNumbers.canonical("01-0902-0068389-000")).contains("01-0902-0068389-000");
        }

        @Test
        void acceptsSpacesAsSeparators() {
            assertThat(BankAccountNumbers.canonical("08 6523 1954512 001")).contains("08-6523-1954512-001");
        }

        @Test
        void acceptsDigitsWithoutSeparators() {
            assertThat(BankAccountNumbers.canonical("2626000320871032")).contains("26-2600-0320871-032");
        }

        @Test
        void padsATwoDigitSuffixToThreeDigits() {
            assertThat(BankAccountNumbers.canonical("02-0500-0568903-97")).contains("02-0500-0568903-097");
        }

        @Test
        void padsATwoDigitSuffixWithoutSeparators() {
            assertThat(BankAccountNumbers.canonical("020500056890397")).contains("02-0500-0568903-097");
        }

        @Test
        void acceptsNumbersWhoseCheckDigitsFailBecauseTestAccountsNeedOnlyTheFormat() {
            assertThat(BankAccountNumbers.canonical("12-1234-1234567-123")).contains("12-1234-1234567-123");
            assertThat(BankAccountNumbers.canonical("00-1213-1231299-999")).contains("00-1213-1231299-999");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "0A-0902-0068389-000",
                "01-0902-006838X-000",
                "01-0902-0068389-abc",
                "bank account"})
        void refusesLetters(String raw) {
            assertThat(BankAccountNumbers.canonical(raw)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "1-0902-0068389-000",
                "001-0902-0068389-000",
                "01-902-0068389-000",
                "01-00902-0068389-000",
                "01-0902-068389-000",
                "01-0902-0068389-0",
                "01-0902-0068389-00000",
                "01090200683890",
                "01-0902-0068389",
                "01/0902/0068389/000"})
        void refusesWrongGroupLengthsOrSeparators(String raw) {
            assertThat(BankAccountNumbers.canonical(raw)).isEmpty();
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"   "})
        void refusesNullEmptyAndBlank(String raw) {
            assertThat(BankAccountNumbers.canonical(raw)).isEmpty();
        }
    }

    @Nested
    class CheckDigits {

        @ParameterizedTest
        @ValueSource(strings = {
                "01-0902-0068389-000",
                "08-6523-1954512-001",
                "26-2600-0320871-032",
                "02-0500-0568903-097"})
        void acceptsTheKnownValidNumbers(String number) {
            assertThat(BankAccountNumbers.hasValidCheckDigits(number)).isTrue();
        }

        @Test
        void refusesABranchOutsideTheBanksRanges() {
            assertThat(BankAccountNumbers.hasValidCheckDigits("12-1234-1234567-123")).isFalse();
        }

        @Test
        void refusesAnUnknownBank() {
            assertThat(BankAccountNumbers.hasValidCheckDigits("00-1213-1231299-999")).isFalse();
        }

        @Test
        void refusesABranchOutOfRangeEvenWhenTheSumWouldPass() {
            // Algorithm A: branch 1000 -> 1*6 = 6; base 00068384 -> 30+64+12+16+4 = 126; 132 = 11*12.
            assertThat(BankAccountNumbers.hasValidCheckDigits("01-1000-0068384-000")).isFalse();
        }

        @Test
        void refusesABankOutsideTheTableEvenWhenTheSumWouldPass() {
            // The same branch and base as the valid 01-0902-0068389-000, but bank 05 is not in the table.
            assertThat(BankAccountNumbers.hasValidCheckDigits("05-0902-0068389-000")).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "01-0902-0068388-000",
                "01-0903-0068389-000",
                "08-6523-1954513-001",
                "26-2600-0320871-033"})
        void refusesAValidNumberWithOneDigitChanged(String number) {
            assertThat(BankAccountNumbers.hasValidCheckDigits(number)).isFalse();
        }

        @Test
        void usesAlgorithmAJustBelowTheBaseThreshold() {
            // Base 00989997: A = 45 (branch) + 263 = 308 = 11*28; B alone would be 263, 263 mod 11 = 10.
            assertThat(BankAccountNumbers.hasValidCheckDigits("01-0902-0989997-000")).isTrue();
        }

        @Test
        void refusesANumberBelowTheThresholdThatOnlyAlgorithmBWouldAccept() {
            // Base 00989998: B = 90+40+72+36+18+8 = 264 = 11*24, but A applies here: 264 + 45 = 309, not a multiple.
            assertThat(BankAccountNumbers.hasValidCheckDigits("01-0902-0989998-000")).isFalse();
        }

        @Test
        void usesAlgorithmBFromTheBaseThresholdOn() {
            // Base 00990008: B = 90+45+0+0+0+8 = 143 = 11*13; A would add the branch's 45 and fail.
            assertThat(BankAccountNumbers.hasValidCheckDigits("01-0902-0990008-000")).isTrue();
        }

        @Test
        void refusesANumberAboveTheThresholdThatOnlyAlgorithmAWouldAccept() {
            // Base 00990007: A = 45 + 142 = 187 = 11*17, but B applies here: 142 is not a multiple of 11.
            assertThat(BankAccountNumbers.hasValidCheckDigits("01-0902-0990007-000")).isFalse();
        }

        @Test
        void usesAlgorithmBForALargeBase() {
            // Base 01234560: 10*2 + 5*3 + 8*4 + 4*5 + 2*6 + 1*0 = 99 = 11*9.
            assertThat(BankAccountNumbers.hasValidCheckDigits("03-1500-1234560-000")).isTrue();
        }

        @Test
        void acceptsAValidNumberForBank09WithAlgorithmE() {
            // Base digits 4 5 6 9 x 5 4 3 2 = 20 20 18 18, folded to 2 2 9 9 = 22 = 11*2.
            assertThat(BankAccountNumbers.hasValidCheckDigits("09-0000-1234569-000")).isTrue();
        }

        @Test
        void refusesANumberThatAlgorithmEPassesOnlyWithoutFolding() {
            // Base digits 4 5 0 2 x 5 4 3 2 = 20 20 0 4: 44 unfolded would pass, folded 2 2 0 4 = 8 does not.
            assertThat(BankAccountNumbers.hasValidCheckDigits("09-0000-1234502-000")).isFalse();
        }

        @Test
        void foldsEachAlgorithmGProductToOneDigit() {
            // Base 00320805 x 0 1 3 7 1 3 7 1 -> 9 14 24 5 folded 9 5 6 5 = 25; suffix 0032 x 0 3 7 1 -> 21 2 folded
            // 3 2 = 5; 30 in all. Unfolded it would be 52 + 23 = 75.
            assertThat(BankAccountNumbers.hasValidCheckDigits("26-2600-0320805-032")).isTrue();
        }

        @Test
        void refusesANumberThatAlgorithmGPassesOnlyWithoutFolding() {
            // Base 00320800: unfolded 9+14+24 + suffix 23 = 70; folded 9+5+6 + 5 = 25.
            assertThat(BankAccountNumbers.hasValidCheckDigits("26-2600-0320800-032")).isFalse();
        }

        @Test
        void countsTheLastSuffixDigitUnderAlgorithmE() {
            // Base digits 4 5 6 4 -> 2 2 9 8 = 21, plus suffix 1 x 1 = 22.
            assertThat(BankAccountNumbers.hasValidCheckDigits("09-0000-1234564-001")).isTrue();
            assertThat(BankAccountNumbers.hasValidCheckDigits("09-0000-1234564-000")).isFalse();
        }

        @Test
        void acceptsAValidNumberForBank25WithAlgorithmF() {
            // Base 01234569 x 0 1 7 3 1 7 3 1 = 1+14+9+4+35+18+9 = 90, a multiple of 10.
            assertThat(BankAccountNumbers.hasValidCheckDigits("25-2500-1234569-000")).isTrue();
            assertThat(BankAccountNumbers.hasValidCheckDigits("25-2500-1234568-000")).isFalse();
        }

        @Test
        void acceptsAValidNumberForBank33WithAlgorithmF() {
            // Base 07654325 x 0 1 7 3 1 7 3 1 = 7+42+15+4+21+6+5 = 100, a multiple of 10.
            assertThat(BankAccountNumbers.hasValidCheckDigits("33-6700-7654325-000")).isTrue();
            assertThat(BankAccountNumbers.hasValidCheckDigits("33-6700-7654326-000")).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"31-2800-1234567-000", "31-2849-0000001-999", "31-2800-9999999-001"})
        void acceptsAnyBaseForBank31WithAlgorithmX(String number) {
            assertThat(BankAccountNumbers.hasValidCheckDigits(number)).isTrue();
        }

        @Test
        void stillChecksTheBranchRangeForBank31() {
            assertThat(BankAccountNumbers.hasValidCheckDigits("31-2850-1234567-000")).isFalse();
        }

        @Test
        void acceptsBranchesAddedInThe2020Edition() {
            // 04-2020: A = 2*6+0+2*7+0 = 26, base 00123453 -> 10*1+5*2+8*3+4*4+2*5+3 = 73; 99 = 11*9.
            assertThat(BankAccountNumbers.hasValidCheckDigits("04-2020-0123453-000")).isTrue();
            assertThat(BankAccountNumbers.hasValidCheckDigits("03-7350-0123459-000")).isTrue();
        }
    }
}
