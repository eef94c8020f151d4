using Feedstand.Discovery;

namespace Feedstand.Tests.Discovery;

public sealed class TextTermsTests
{
    [Fact]
    public void Words_are_lower_cased_without_stop_words_numbers_or_single_letters() =>
        Assert.Equal(["borrow", "checker", "rust", "lifetimes", "2024a"],
            TextTerms.Of("The Borrow-checker of Rust's lifetimes: a 2024 2024a x"));

    [Fact]
    public void Chinese_text_becomes_character_bigrams() =>
        Assert.Equal(["机器", "器学", "学习", "rust", "编程"], TextTerms.Of("机器学习 Rust 编程"));

    [Fact]
    public void A_lone_ideograph_is_a_term_and_kana_pairs_too() =>
        Assert.Equal(["猫", "カメ", "メラ"], TextTerms.Of("猫 カメラ"));
}
